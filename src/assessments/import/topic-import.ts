import ExcelJS from 'exceljs';
import { ownValue } from '../../scoring';
import { fileError, readCsv, Sheet, sheetFrom } from './sheet';
import { checkZipLimits, ZipLimitError } from './zip-limits';

/** The columns of a topic import file, in the order of the downloadable template. */
export const TOPIC_COLUMNS = [
  'code',
  'name_en',
  'name_zh-Hant',
  'name_zh-Hans',
  'description_en',
  'description_zh-Hant',
  'description_zh-Hans',
  'category',
  'nature',
  'occurrence',
  'human_rights',
] as const;

export const TOPIC_TEMPLATE_EXAMPLE = [
  'water',
  'Water stewardship',
  '水資源管理',
  '水资源管理',
  'Water withdrawal, consumption and discharge in own operations and the supply chain.',
  '自身營運及供應鏈中的取水、耗水及排水。',
  '自身运营及供应链中的取水、耗水及排水。',
  'E',
  'negative',
  'actual',
  'no',
];

const MAX_ROWS = 1000;
const TRUE = new Set(['yes', 'true', '1', 'y', '是']);
const FALSE = new Set(['no', 'false', '0', 'n', '否', '']);

export interface TopicRows {
  /** Inputs for importTopics, one per data row. */
  rows: unknown[];
  /** The sheet row number of each input (blank rows are skipped, so they can differ from index + 2). */
  sourceRows: number[];
}

/** Reads an uploaded CSV or XLSX file into topic inputs; validation is left to importTopics. */
export async function readTopicFile(
  file: { buffer: Buffer; originalname?: string } | undefined,
): Promise<TopicRows> {
  if (!file || !file.buffer.length) throw fileError('assess.import.noFile');
  const sheet = await readSheet(file.buffer);
  if (!sheet.columns.includes('code') || !sheet.columns.includes('name_en'))
    throw fileError('assess.import.header');
  if (!sheet.rows.length) throw fileError('assess.import.empty');
  if (sheet.rows.length > MAX_ROWS) throw fileError('assess.import.tooManyRows');
  return {
    rows: sheet.rows.map((r) => topicInput(r.cells)),
    sourceRows: sheet.rows.map((r) => r.row),
  };
}

/** XLSX by its zip signature, the old binary .xls refused, anything else read as CSV text. */
export async function readSheet(buf: Buffer): Promise<Sheet> {
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return readXlsx(buf);
  if (buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw fileError('assess.import.oldExcel');
  return readCsv(buf);
}

const ZIP_REFUSALS: Record<ZipLimitError['reason'], string> = {
  tooLarge: 'assess.import.tooLarge',
  unreadable: 'assess.import.unreadable',
};

async function readXlsx(buf: Buffer): Promise<Sheet> {
  // Before exceljs inflates anything: it unpacks every entry in full (see zip-limits.ts).
  try {
    checkZipLimits(buf);
  } catch (err) {
    if (err instanceof ZipLimitError) throw fileError(ZIP_REFUSALS[err.reason]);
    throw err;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw fileError('assess.import.unreadable');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw fileError('assess.import.empty');
  if (ws.actualRowCount > MAX_ROWS + 1) throw fileError('assess.import.tooManyRows');
  const raw: { row: number; values: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellText(cell);
    });
    raw.push({ row: n, values: Array.from(values, (v) => v ?? '') });
  });
  return sheetFrom(raw);
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return cell.text ?? '';
  } catch {
    return '';
  }
}

function localizedCells(c: Record<string, string>, prefix: string) {
  const out: Record<string, string> = { en: c[`${prefix}_en`] ?? '' };
  const hant = c[`${prefix}_zh_hant`];
  const hans = c[`${prefix}_zh_hans`];
  if (hant) out['zh-Hant'] = hant;
  if (hans) out['zh-Hans'] = hans;
  return out;
}

/** yes/no, true/false, 1/0 (and 是/否); anything else is passed on so that validation names the cell. */
export function yesNo(v: string | undefined): boolean | string {
  const s = (v ?? '').trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return v ?? '';
}

/** One row's cells as a topic input. An impact profile given in part is completed with the defaults. */
export function topicInput(c: Record<string, string>): Record<string, unknown> {
  const profileGiven = !!(c.nature || c.occurrence || c.human_rights);
  return {
    code: c.code ?? '',
    name: localizedCells(c, 'name'),
    description: localizedCells(c, 'description'),
    category: (c.category ?? '').toUpperCase(),
    ...(profileGiven
      ? {
          impactProfile: {
            nature: (c.nature || 'negative').toLowerCase(),
            occurrence: (c.occurrence || 'actual').toLowerCase(),
            humanRights: yesNo(c.human_rights),
          },
        }
      : {}),
  };
}

/** Maps an error path of importTopics (`row 3: name.en`) to the sheet row and the file's column. */
const FIELD_COLUMNS: Record<string, string> = {
  'impactProfile.nature': 'nature',
  'impactProfile.occurrence': 'occurrence',
  'impactProfile.humanRights': 'human_rights',
  impactProfile: 'nature',
};

export function columnOf(field: string): string {
  const known = ownValue(FIELD_COLUMNS, field);
  if (known) return known;
  const m = /^(name|description)\.(en|zh-Hant|zh-Hans)$/.exec(field);
  if (m) return `${m[1]}_${m[2]}`;
  return field;
}
