import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify, type Options } from 'csv-stringify';
import type { Cell, ResponseTable, ResponseRecord, Table } from './tables';
import { ExportAborted } from './xlsx';

export const CSV_TYPE = 'text/csv; charset=utf-8';

// RFC 4180: comma, double quotes doubled, CRLF between records. csv-stringify quotes a field with
// a comma or a quote by itself; a bare CR or LF inside a field needs quoted_match.
const OPTIONS: Options = { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ };

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or CR before one) as a
 * formula; a leading apostrophe makes them show it as text. Only text is touched: numbers are
 * written as numbers.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A cell as CSV text: numbers in full precision, dates as ISO 8601 (UTC), empty for null. */
export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (v instanceof Date) return Number.isNaN(+v) ? '' : v.toISOString();
  return neutralise(v);
}

const csvRow = (row: Cell[]) => row.map(csvCell);

/** A small table (e.g. the rankings) to `out`, header first. */
export async function writeTableCsv(out: Writable, t: Table): Promise<void> {
  const s = stringify(OPTIONS);
  const done = pipeTo(s, out);
  s.write(csvRow(t.columns.map((c) => c.header)));
  for (const row of t.rows) s.write(csvRow(row));
  s.end();
  await done;
}

/** The responses, streamed from a cursor with back-pressure: memory does not grow with their number. */
export async function writeResponsesCsv(out: Writable, t: ResponseTable, responses: AsyncIterable<ResponseRecord>): Promise<void> {
  const s = stringify(OPTIONS);
  const done = pipeTo(s, out);
  s.write(csvRow(t.columns.map((c) => c.header)));
  for await (const doc of responses) {
    if (out.destroyed) throw new ExportAborted();
    if (!s.write(csvRow(t.row(doc)))) await drained(s, out);
  }
  s.end();
  await done;
}

/** Resolves when `out` has everything; the caller awaits it last, so a rejection meanwhile is kept, not thrown. */
function pipeTo(s: ReturnType<typeof stringify>, out: Writable): Promise<void> {
  s.pipe(out);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('close', () => (out.writableFinished ? resolve() : reject(new ExportAborted())));
    out.once('error', reject);
    s.once('error', reject);
  });
  done.catch(() => undefined);
  return done;
}

/** Waits for the stringifier to drain, or fails when the client has gone away meanwhile. */
async function drained(s: ReturnType<typeof stringify>, out: Writable): Promise<void> {
  const ac = new AbortController();
  const onClose = () => ac.abort();
  out.once('close', onClose);
  try {
    await once(s, 'drain', { signal: ac.signal });
  } catch {
    throw new ExportAborted();
  } finally {
    out.off('close', onClose);
  }
}
