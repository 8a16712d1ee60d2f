import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { CsvError, parse, type InfoRecord } from 'csv-parse/sync';
import { stringify, type Options, type Stringifier } from 'csv-stringify';
import { stringify as stringifyToString } from 'csv-stringify/sync';

// The one place that reads and writes CSV. Uploads are read leniently (Excel's habits); files are
// written one way only: RFC 4180, UTF-8 with a BOM, formula-safe, as a string or streamed.

export const CSV_TYPE = 'text/csv; charset=utf-8';

/**
 * RFC 4180: comma, double quotes doubled, CRLF between records; a BOM so that Excel reads UTF-8
 * (Chinese) as UTF-8. csv-stringify quotes a field with a comma or a quote by itself; quoted_match
 * quotes one with a bare CR or LF whatever the library's default for them.
 */
const options = (): Options => ({ bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });

/** What a CSV field can hold; anything else is the caller's to turn into one of these. */
export type CsvValue = string | number | Date | null | undefined;

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or CR before one) as a
 * formula (CSV injection); a leading apostrophe makes them show it as text. Only text is touched:
 * anything else is returned as it is, so numbers stay numbers.
 */
export function neutralise<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A field as CSV text: numbers in full precision, dates as ISO 8601 (UTC), empty for null, text formula-safe. */
export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (v instanceof Date) return Number.isNaN(+v) ? '' : v.toISOString();
  return neutralise(v);
}

const csvRow = (row: readonly CsvValue[]) => row.map(csvCell);

/** A small file as one string (e.g. a template to download), header first. */
export function writeCsv(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
): string {
  return stringifyToString([header, ...rows].map(csvRow), options());
}

/** `out` closed before the whole file was written: the client went away. */
export class OutputClosed extends Error {
  constructor(message = 'the output stream closed before the end') {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Streams `rows` (e.g. from a database cursor) to `out` with back-pressure: the next row is taken
 * only when the stringifier has room, so memory does not grow with the number of rows. Rejects with
 * OutputClosed when `out` closes first; `out` is not ended then, the caller decides what to do.
 */
export async function streamCsv(
  out: Writable,
  rows: Iterable<readonly CsvValue[]> | AsyncIterable<readonly CsvValue[]>,
): Promise<void> {
  const s = stringify(options());
  const done = pipeTo(s, out);
  try {
    for await (const row of rows) {
      if (out.destroyed) throw new OutputClosed();
      if (!s.write(csvRow(row))) await drained(s, out);
    }
  } catch (err) {
    s.unpipe(out);
    s.destroy();
    throw err;
  }
  s.end();
  await done;
}

/** Resolves when `out` has everything; the caller awaits it last, so a rejection meanwhile is kept, not thrown. */
function pipeTo(s: Stringifier, out: Writable): Promise<void> {
  s.pipe(out);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('close', () => (out.writableFinished ? resolve() : reject(new OutputClosed())));
    out.once('error', reject);
    s.once('error', reject);
  });
  done.catch(() => undefined);
  return done;
}

/** Waits for the stringifier to drain, or fails when `out` closes meanwhile. */
async function drained(s: Stringifier, out: Writable): Promise<void> {
  const ac = new AbortController();
  const onClose = () => ac.abort();
  out.once('close', onClose);
  try {
    await once(s, 'drain', { signal: ac.signal });
  } catch {
    throw new OutputClosed();
  } finally {
    out.off('close', onClose);
  }
}

/** One record of an upload, with the line it ends on (what the user sees as its row number). */
export interface CsvRecord {
  row: number;
  values: string[];
}

/** Why an upload is not CSV we can read; the feature that asked turns it into its own message. */
export class CsvReadError extends Error {
  constructor(readonly reason: 'encoding' | 'malformed') {
    super(`unreadable CSV upload (${reason})`);
    this.name = 'CsvReadError';
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter that splits the header line into the most fields (a comma when none does). */
function sniffDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  let best: string = DELIMITERS[0];
  let most = 0;
  for (const d of DELIMITERS) {
    const n = firstLine.split(d).length;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/**
 * Reads an uploaded CSV file into records. Excel writes CSV with a BOM, and with `;` where the
 * decimal separator is a comma, so the delimiter is taken from the header line. A file in a legacy
 * encoding (Big5, GBK) is refused (`encoding`) instead of being read as mojibake.
 */
export function readCsvUpload(buf: Buffer): CsvRecord[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new CsvReadError('encoding');
  }
  text = text.replace(/^\uFEFF/, '');
  let records: { record: string[]; info: InfoRecord }[];
  try {
    // With `info`, csv-parse returns {record, info} pairs, which its types do not express.
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) throw new CsvReadError('malformed');
    throw err;
  }
  return records.map((r) => ({ row: r.info.lines, values: r.record }));
}
