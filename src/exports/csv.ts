import type { Writable } from 'node:stream';
import { streamCsv, type CsvValue } from '../shared/csv';
import type { ResponseRecord, ResponseTable, Table } from './tables';

// The CSV downloads: the same tables as the workbook, written by the one CSV writer (shared/csv.ts).

/** A small table (e.g. the rankings) to `out`, header first. */
export function writeTableCsv(out: Writable, t: Table): Promise<void> {
  return streamCsv(out, [t.columns.map((c) => c.header), ...t.rows]);
}

/** The responses, streamed from a cursor with back-pressure: memory does not grow with their number. */
export function writeResponsesCsv(
  out: Writable,
  t: ResponseTable,
  responses: AsyncIterable<ResponseRecord>,
): Promise<void> {
  return streamCsv(out, responseRows(t, responses));
}

/** Header, then one row per response as the cursor yields it; closing this early closes the cursor. */
async function* responseRows(
  t: ResponseTable,
  responses: AsyncIterable<ResponseRecord>,
): AsyncGenerator<CsvValue[]> {
  yield t.columns.map((c) => c.header);
  for await (const doc of responses) yield t.row(doc);
}
