import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { dict } from '../scoring';
import { ValidationError } from '../shared/errors';

/** One data row of an uploaded table: its row number as the user sees it, and its cells by column. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

export interface Sheet {
  columns: string[];
  rows: SheetRow[];
}

/** Column names compared loosely: `Name_zh-Hant`, `name zh hant` and `name_zh_hant` are one column. */
export const normaliseColumn = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

export const fileError = (message: string) => new ValidationError([{ path: 'file', message }], message);

/**
 * Builds a sheet from raw rows (first non-empty row = header), dropping rows with no value at all.
 * Cells are keyed by the file's own headers: a prototype-less record, so a column named
 * `__proto__` or `constructor` is data and a missing column reads as missing.
 */
export function sheetFrom(raw: { row: number; values: string[] }[]): Sheet {
  const filled = raw.filter((r) => r.values.some((v) => v.trim() !== ''));
  if (!filled.length) throw fileError('assess.import.empty');
  const [head, ...body] = filled;
  const columns = head.values.map(normaliseColumn);
  const rows = body.map((r) => ({
    row: r.row,
    cells: dict(columns.map((c, i): [string, string] => [c, (r.values[i] ?? '').trim()]).filter(([c]) => c !== '')),
  }));
  return { columns, rows };
}

/**
 * Reads a CSV upload. Excel writes CSV with a BOM, and with `;` where the decimal separator is a
 * comma, so the delimiter is taken from the header line. Files in a legacy encoding (Big5, GBK)
 * are refused with advice instead of importing mojibake.
 */
export function readCsv(buf: Buffer): Sheet {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw fileError('assess.import.encoding');
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0].d;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) throw fileError('assess.import.malformed');
    throw err;
  }
  return sheetFrom(records.map((r) => ({ row: r.info.lines, values: r.record })));
}

/** Spreadsheets run cells starting with these as formulas (CSV injection); a leading quote disarms them. */
export function neutralise(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV (CRLF, quotes doubled) with a UTF-8 BOM so Excel reads Chinese correctly; formula-safe. */
export function writeCsv(header: string[], rows: unknown[][]): string {
  return stringify([header, ...rows].map((r) => r.map(neutralise)), { bom: true, record_delimiter: 'windows' });
}
