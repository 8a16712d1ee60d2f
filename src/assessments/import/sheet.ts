import { dict } from '../../scoring';
import { CsvReadError, readCsvUpload } from '../../shared/csv';
import { ValidationError } from '../../shared/errors';

// The table model of an upload (topics, invitees): a header row and data rows keyed by column.

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
export const normaliseColumn = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export const fileError = (message: string) =>
  new ValidationError([{ path: 'file', message }], message);

/**
 * Builds a sheet from raw rows (first non-empty row = header), dropping rows with no value at all.
 * Cells are keyed by the file's own headers: a prototype-less record, so a column named
 * `__proto__` or `constructor` is data and a missing column reads as missing.
 */
export function sheetFrom(raw: { row: number; values: string[] }[]): Sheet {
  const [head, ...body] = raw.filter((r) => r.values.some((v) => v.trim() !== ''));
  if (!head) throw fileError('assess.import.empty');
  const columns = head.values.map(normaliseColumn);
  const rows = body.map((r) => ({
    row: r.row,
    cells: dict(
      columns
        .map((c, i): [string, string] => [c, (r.values[i] ?? '').trim()])
        .filter(([c]) => c !== ''),
    ),
  }));
  return { columns, rows };
}

const READ_ERRORS: Record<CsvReadError['reason'], string> = {
  encoding: 'assess.import.encoding',
  malformed: 'assess.import.malformed',
};

/** Reads a CSV upload (see readCsvUpload for Excel's habits); an unreadable file is a `file` field error. */
export function readCsv(buf: Buffer): Sheet {
  let records;
  try {
    records = readCsvUpload(buf);
  } catch (err) {
    if (err instanceof CsvReadError) throw fileError(READ_ERRORS[err.reason]);
    throw err;
  }
  return sheetFrom(records);
}
