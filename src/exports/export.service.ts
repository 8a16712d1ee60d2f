import crypto from 'node:crypto';
import { BSON } from 'mongodb';
import type { Writable } from 'node:stream';
import type { SessionUser } from '../auth/roles';
import { getAssessment } from '../assessments/services/assessment.service';
import type { Assessment } from '../assessments/model/assessment.types';
import { buildMatrixChart } from '../results/matrix-chart';
import { renderMatrixPng, renderMatrixSvg } from '../results/matrix-render';
import { getResults, type Results } from '../results/results.service';
import { resolveSettings } from '../scoring';
import type { Lang } from '../shared/i18n';
import { responsesCollection } from '../responses/response.model';
import { writeResponsesCsv, writeTableCsv } from './csv';
import { buildExportTables, type ExportTables, type ResponseRecord } from './tables';
import { writeXlsx } from './xlsx';

export interface PreparedExport {
  assessment: Assessment;
  results: Results;
  tables: ExportTables;
  /** the language of the file (`?lang=`, else the user's) */
  lang: Lang;
}

/** The assessment (read once) and its results; both reads assert the `read` role. */
async function assessmentResults(
  actor: SessionUser | undefined,
  id: string,
): Promise<{ assessment: Assessment; results: Results }> {
  const assessment = await getAssessment(actor, id);
  return { assessment, results: await getResults(actor, assessment) };
}

/**
 * Everything an export needs before the first byte is sent: the role is checked and an unknown id
 * fails here with a 404 rather than in the middle of a download.
 */
export async function prepareExport(
  actor: SessionUser | undefined,
  id: string,
  lang: Lang,
  secret: string,
): Promise<PreparedExport> {
  const { assessment, results } = await assessmentResults(actor, id);
  return prepared(assessment, results, lang, secret);
}

export function prepared(
  assessment: Assessment,
  results: Results,
  lang: Lang,
  secret: string,
): PreparedExport {
  const tables = buildExportTables(results, assessment, lang, {
    pseudonym: pseudonymiser(secret, assessment._id),
  });
  return { assessment, results, tables, lang };
}

/**
 * Stored ids of personal responses contain the link reference, so exports show a keyed hash instead:
 * stable from one export to the next, and of no use for matching responses to invitations without
 * the server's secret.
 */
export function pseudonymiser(secret: string, assessmentId: string): (storedId: string) => string {
  const key = crypto
    .createHmac('sha256', secret)
    .update(`export-response-id:${assessmentId}`)
    .digest();
  return (storedId) => crypto.createHmac('sha256', key).update(storedId).digest('hex').slice(0, 16);
}

/** Responses per `getMore`: each is a short command, so submissions interleave with an export. */
const PAGE = 500;
/**
 * Rows are written in blocks of this many stored responses, each block in the order of a key that
 * reveals nothing (orderKey). Storage order is submission order, which must not show in an export;
 * an assessment of up to this many responses is ordered as a whole. Two blocks are held at a time
 * (the one being written and the one being read), a few MB each.
 */
export const ORDER_BLOCK = 5000;

const PROJECTION = {
  _id: 1,
  group: 1,
  lang: 1,
  submittedAt: 1,
  durationMs: 1,
  userAgentClass: 1,
  answers: 1,
} as const;

/**
 * The sort key of a response: its id without the kind prefix. Ids are random or keyed hashes
 * (`p_` + the keyed link reference, `o_` + a hash of the client's random submission id, or random
 * bytes), so this order says nothing about when a response came, nor whether it came through a
 * personal or an open link (the prefix would group those).
 */
export const orderKey = (id: string): string => (/^[po]_/.test(id) ? id.slice(2) : id);

/** A response held in a block: its sort key and its BSON bytes (a slice of the driver's reply). */
type Held = [key: string, bson: Buffer];
const byKey = (a: Held, b: Held) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const BSON_OPTIONS = { promoteBuffers: false } as const;

/**
 * The assessment's responses for an export: read with the native driver (no document hydration) and
 * a projection, in pages of PAGE; the next block is read while the current one is written, so the
 * database's scan and the writing overlap. Blocks are held as raw BSON, decoded as each row is
 * written: thousands of decoded documents (an object and two strings per answer) outlived V8's
 * young-generation collections and doubled the export's peak memory; bytes in a buffer do not, and
 * the objects decoded for one row die young. An export is the one place that scans responses.
 */
export async function* responseCursor(
  assessmentId: string,
  block = ORDER_BLOCK,
): AsyncGenerator<ResponseRecord> {
  const cursor = responsesCollection().find(
    { assessmentId },
    { projection: PROJECTION, batchSize: PAGE, raw: true },
  );
  const readBlock = async (): Promise<Held[]> => {
    const held: Held[] = [];
    while (held.length < block && (await cursor.hasNext())) {
      for (const d of cursor.readBufferedDocuments(block - held.length)) {
        const bson = d as unknown as Buffer;
        const id = String((BSON.deserialize(bson, BSON_OPTIONS) as { _id: unknown })._id);
        held.push([orderKey(id), bson]);
      }
    }
    return held;
  };
  let next = readBlock();
  try {
    for (;;) {
      const held = await next;
      if (!held.length) return;
      next = held.length < block ? Promise.resolve([]) : readBlock();
      // A consumer that stops early must not leave a rejected read unhandled.
      next.catch(() => undefined);
      held.sort(byKey);
      for (let i = 0; i < held.length; i++) {
        const doc = BSON.deserialize(held[i]![1], BSON_OPTIONS) as ResponseRecord;
        held[i] = ['', EMPTY]; // let the bytes go as soon as the row is made
        yield doc;
      }
    }
  } finally {
    await next.catch(() => undefined);
    await cursor.close();
  }
}

const EMPTY = Buffer.alloc(0);

/** Pixel width of the matrix picture in the workbook: twice its displayed size, for sharp print. */
const MATRIX_PNG_WIDTH = 1600;

/** The matrix as the matrix page and matrix.png draw it (names beside the points, all groups). */
export async function matrixPng(p: PreparedExport): Promise<Buffer> {
  const chart = buildMatrixChart(p.results, p.assessment, p.lang, { labels: true });
  return renderMatrixPng(renderMatrixSvg(chart.option, p.lang), p.lang, MATRIX_PNG_WIDTH);
}

export const exportXlsx = async (p: PreparedExport, out: Writable) =>
  writeXlsx(out, p.tables, responseCursor(p.assessment._id), {
    matrixPng: await matrixPng(p),
    matrixDescription: p.assessment.name,
  });
export const exportRankingsCsv = (p: PreparedExport, out: Writable) =>
  writeTableCsv(out, p.tables.rankings);
export const exportResponsesCsv = (p: PreparedExport, out: Writable) =>
  writeResponsesCsv(out, p.tables.responses, responseCursor(p.assessment._id));

/** What the export page shows. */
export async function exportPage(actor: SessionUser | undefined, id: string) {
  const { assessment, results } = await assessmentResults(actor, id);
  return {
    assessment: {
      id: assessment._id,
      name: assessment.name,
      reportingYear: assessment.reportingYear,
    },
    responsesTotal: results.responses.total,
    minReportN: resolveSettings(results.settings).minReportN,
  };
}

/**
 * `attachment` with an ASCII-only `filename` for old clients and the exact name as
 * `filename*=UTF-8''…` (RFC 6266 / RFC 8187). `tail` is ASCII (e.g. `-2025-responses.csv`).
 */
export function contentDisposition(fullName: string, tail: string): string {
  // At most 100 characters of the name: the whole file name stays well within every system's limit.
  const name = [...fullName.trim()].slice(0, 100).join('');
  const exact = `${name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').trim() || 'assessment'}${tail}`;
  const ascii =
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/_{2,}/g, '_')
      .replace(/^[_.-]+|[_.-]+$/g, '') || 'assessment';
  const encoded = encodeURIComponent(exact).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}${tail}"; filename*=UTF-8''${encoded}`;
}
