import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { OutputClosed } from '../shared/csv';
import { addPicture } from './xlsx-picture';
import type { Cell, Column, ColumnKind, ExportTables, ResponseRecord, Table } from './tables';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Sheet = ExcelJS.Worksheet;
type Style = Partial<ExcelJS.Style>;

/**
 * The review stamp of each workbook being written: every sheet prints it in its header and footer
 * (set as the sheet is added, since a streamed sheet cannot be changed once committed).
 */
const STAMPS = new WeakMap<object, string>();
const headerText = (s: string) => `&C${s.replace(/&/g, '&&')}`;

// Shared style objects: exceljs caches a style id per object, so reusing them keeps a
// 100,000-row sheet from building a style key for every cell.
const HEADER: Style = { font: { bold: true }, alignment: { vertical: 'top', wrapText: true } };
const STYLES: Record<ColumnKind, Style | undefined> = {
  text: undefined,
  mixed: undefined,
  int: { numFmt: '0' },
  decimal: { numFmt: '0.00' },
  date: { numFmt: 'yyyy-mm-dd hh:mm:ss' },
  day: { numFmt: 'yyyy-mm-dd' },
};
/** The responses' second header row (codes): plain, in grey, so the names above stand out. */
const CODES: Style = { font: { color: { argb: 'FF666666' } } };

/** The matrix picture beside the Matrix sheet's table: the chart's 4:3 at a screen-friendly size. */
const MATRIX_PICTURE = { col: 7, row: 0, widthPx: 800, heightPx: 600 };
const WRAP: Style = { alignment: { vertical: 'top', wrapText: true } };

/** Keep at most this much workbook data waiting for the zip stream and the client. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** Rows between two turns of the event loop: a few ms, so requests served alongside barely wait. */
const YIELD_EVERY = 50;

/** The client went away during a workbook; the same kind of failure as a CSV whose output closed. */
export class ExportAborted extends OutputClosed {
  constructor() {
    super('export aborted: the output stream closed');
  }
}

/**
 * Streams the whole workbook to `out`: each sheet is written and committed before the next starts,
 * and the responses are written row by row from `responses` (a database cursor), waiting whenever
 * the zip stream falls behind. Memory stays flat whatever the number of responses.
 */
export async function writeXlsx(
  out: Writable,
  tables: ExportTables,
  responses: AsyncIterable<ResponseRecord>,
  extras: { matrixPng?: Buffer | null; matrixDescription?: string } = {},
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'dma-platform';
  wb.created = new Date();
  if (tables.stamp) {
    STAMPS.set(wb, tables.stamp);
    wb.subject = tables.stamp;
  }
  await writeTable(wb, tables.rankings, out);
  await writeTable(wb, tables.matrix, out, undefined, (ws) => {
    if (extras.matrixPng)
      addPicture(wb, ws, {
        png: extras.matrixPng,
        ...MATRIX_PICTURE,
        description: extras.matrixDescription ?? tables.matrix.sheet,
      });
  });
  for (const t of [tables.groups, tables.perGroup, tables.iros]) await writeTable(wb, t, out);

  const ws = addSheet(wb, tables.responses.sheet, tables.responses.columns, tables.responses.codes);
  const styles = tables.responses.columns.map((c) => STYLES[c.kind]);
  let i = 0;
  for await (const doc of responses) {
    const row = tables.responses.row(doc);
    if (row) addRow(ws, row, styles);
    if (++i % YIELD_EVERY === 0) await flowControl(ws, out);
  }
  await finishSheet(ws, out);

  if (tables.yearOverYear) await writeTable(wb, tables.yearOverYear, out);
  await writeTable(wb, tables.method, out, WRAP);
  if (tables.appendix) await writeTable(wb, tables.appendix, out, WRAP);
  if (tables.analytics) await writeTable(wb, tables.analytics, out);
  // exceljs waits for the output's 'finish', which never comes when the client leaves first.
  await Promise.race([wb.commit(), closedEarly(out)]);
}

function closedEarly(out: Writable): Promise<never> {
  const p = new Promise<never>((_, reject) => {
    if (out.destroyed && !out.writableFinished) reject(new ExportAborted());
    out.once('close', () => !out.writableFinished && reject(new ExportAborted()));
  });
  p.catch(() => undefined);
  return p;
}

/** A sheet with its header row, and `codes` as a second header row when given. */
function addSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: Column[],
  codes?: string[],
): Sheet {
  const headerRows = codes ? 2 : 1;
  const first = `A${headerRows + 1}`;
  const ws = wb.addWorksheet(safeSheetName(name), {
    views: [
      { state: 'frozen', xSplit: 0, ySplit: headerRows, topLeftCell: first, activeCell: first },
    ],
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  const stamp = STAMPS.get(wb);
  if (stamp) ws.headerFooter = { oddHeader: headerText(stamp), oddFooter: headerText(stamp) };
  const header = ws.addRow(columns.map((c) => c.header));
  header.eachCell((cell) => (cell.style = HEADER));
  header.commit();
  if (codes) {
    const row = ws.addRow(codes);
    row.eachCell((cell) => (cell.style = CODES));
    row.commit();
  }
  ws.autoFilter = {
    from: { row: headerRows, column: 1 },
    to: { row: headerRows, column: Math.max(1, columns.length) },
  };
  return ws;
}

async function writeTable(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  t: Table,
  out: Writable,
  textStyle?: Style,
  decorate?: (ws: Sheet) => void,
): Promise<void> {
  const ws = addSheet(wb, t.sheet, t.columns);
  decorate?.(ws);
  const styles = t.columns.map((c) => STYLES[c.kind] ?? textStyle);
  for (const row of t.rows) addRow(ws, row, styles);
  await finishSheet(ws, out);
}

/**
 * The style of unstyled cells. exceljs gives each new cell a fresh `{}` style, and its style
 * registry caches ids per style object, so every such cell cost a style lookup by content (about
 * an eighth of the export's CPU in a profile); one shared object is looked up once.
 */
const PLAIN: Style = {};

function addRow(ws: Sheet, values: Cell[], styles: (Style | undefined)[]): void {
  const row = ws.addRow(values);
  for (let c = 0; c < values.length; c++) {
    const style = styles[c];
    row.getCell(c + 1).style = style && values[c] !== null ? style : PLAIN;
  }
  row.commit();
}

/** A sheet's data must reach the zip before the next sheet starts, or it would wait in memory. */
async function finishSheet(ws: Sheet, out: Writable): Promise<void> {
  await flowControl(ws, out);
  ws.commit();
}

/**
 * exceljs hands each sheet's XML to the zip archive without back-pressure. Wait while more than
 * MAX_BUFFERED bytes are queued in front of the zip stream, so a slow client never makes the
 * workbook pile up in memory; give up when the client has gone away.
 */
async function flowControl(ws: Sheet, out: Writable): Promise<void> {
  // Let compression, the socket and other requests run between batches of rows.
  await new Promise((resolve) => setImmediate(resolve));
  for (;;) {
    if (out.destroyed || out.writableEnded) throw new ExportAborted();
    if (buffered(ws) <= MAX_BUFFERED) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface StreamState {
  length?: number;
}
interface ZipInternals {
  _readableState?: StreamState;
  _writableState?: StreamState;
}
interface StreamBufInternals {
  buffers?: { length: number }[];
  // archiver wraps the sheet stream in a readable-stream@2 PassThrough, which predates
  // writableLength/readableLength: read the state objects both stream versions have.
  pipes?: { _writableState?: StreamState; _readableState?: StreamState }[];
}

/**
 * Bytes written to the sheet's stream that the zip has not consumed yet, and compressed bytes the
 * archive holds for a reader that is slower. exceljs has no public back-pressure API, so this reads
 * its internals: the sheet's `_stream` (a StreamBuf with `buffers`), the archiver streams it `pipes`
 * to, and the workbook's archiver (`_workbook.zip`). Checked against exceljs 4.4.0 with archiver 5.3.2;
 * test/exports/xlsx-internals.test.ts fails if an upgrade moves them.
 */
export function buffered(ws: Sheet): number {
  const internals = ws as unknown as {
    _stream?: StreamBufInternals;
    _workbook?: { zip?: ZipInternals };
  };
  // The archive itself queues compressed data without limit when its reader is slow: count it too.
  const zip = internals._workbook?.zip;
  let n = (zip?._readableState?.length ?? 0) + (zip?._writableState?.length ?? 0);
  const s = internals._stream;
  if (!s) return n;
  for (const b of s.buffers ?? []) n += b.length;
  for (const p of s.pipes ?? [])
    n += (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0);
  return n;
}

/** Excel's rules: at most 31 characters, none of []:*?/\ and no leading or trailing apostrophe. */
export function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/^'+|'+$/g, '')
    .trim();
  return [...cleaned].slice(0, 31).join('') || 'Sheet';
}
