import type { Writable } from 'node:stream';
import { streamCsv, type CsvValue } from '../shared/csv';
import type { Cell, ColumnKind, ResponseRecord, ResponseTable, Table } from './tables';

// The CSV downloads: the same tables as the workbook, written by the one CSV writer (shared/csv.ts).
// Where the workbook keeps full precision behind a number format, CSV has only the text: decimals
// are written rounded to 4 places and days without a time.

/**
 * `v` rounded half away from zero to at most 4 decimals, through its shortest decimal form, so
 * 1.7999999999999998 is written 1.8 and 2.00005 is 2.0001 (not what binary rounding gives).
 */
export function round4(v: number): number {
  if (!Number.isFinite(v)) return v;
  const s = String(Math.abs(v));
  if (s.includes('e')) return Math.abs(v) < 1 ? 0 : v; // below 1e-7 or above 1e21
  const r = Number(`${Math.round(Number(`${s}e4`))}e-4`);
  return v < 0 && r !== 0 ? -r : r;
}

const day = (d: Date) => (Number.isNaN(+d) ? null : d.toISOString().slice(0, 10));

/** A cell as the CSV shows it, by its column's kind. */
export function csvValue(v: Cell, kind: ColumnKind | undefined): CsvValue {
  if (typeof v === 'number' && kind === 'decimal') return round4(v);
  if (v instanceof Date && kind === 'day') return day(v);
  return v;
}

const shown = (row: Cell[], kinds: ColumnKind[]) => row.map((v, i) => csvValue(v, kinds[i]));

/** A small table (e.g. the rankings) to `out`, header first. */
export function writeTableCsv(out: Writable, t: Table): Promise<void> {
  const kinds = t.columns.map((c) => c.kind);
  return streamCsv(out, [t.columns.map((c) => c.header), ...t.rows.map((r) => shown(r, kinds))]);
}

/** The responses, streamed from a cursor with back-pressure: memory does not grow with their number. */
export function writeResponsesCsv(
  out: Writable,
  t: ResponseTable,
  responses: AsyncIterable<ResponseRecord>,
): Promise<void> {
  return streamCsv(out, responseRows(t, responses));
}

/** Two header rows (names, then codes), then one row per listed response as the cursor yields it. */
async function* responseRows(
  t: ResponseTable,
  responses: AsyncIterable<ResponseRecord>,
): AsyncGenerator<CsvValue[]> {
  const kinds = t.columns.map((c) => c.kind);
  yield t.columns.map((c) => c.header);
  yield t.codes;
  for await (const doc of responses) {
    const row = t.row(doc);
    if (row) yield shown(row, kinds);
  }
}
