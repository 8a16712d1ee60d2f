import crypto from 'node:crypto';
import type { Writable } from 'node:stream';
import type { SessionUser } from '../auth/roles';
import { getAssessment } from '../assessments/services/assessment.service';
import type { Assessment } from '../assessments/model/assessment.types';
import { buildMatrixChart } from '../results/matrix-chart';
import { renderMatrixPng, renderMatrixSvg } from '../results/matrix-render';
import { getResults, type Results } from '../results/results.service';
import { resolveSettings } from '../scoring';
import type { Lang } from '../shared/i18n';
import { writeResponsesCsv, writeTableCsv } from './csv';
import { exportResponses } from './response-source';
import { buildExportTables, type ExportTables } from './tables';
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

/** Pixel width of the matrix picture in the workbook: twice its displayed size, for sharp print. */
const MATRIX_PNG_WIDTH = 1600;

/** The matrix as the matrix page and matrix.png draw it (names beside the points, all groups). */
export async function matrixPng(p: PreparedExport): Promise<Buffer> {
  const chart = buildMatrixChart(p.results, p.assessment, p.lang, { labels: true });
  return renderMatrixPng(renderMatrixSvg(chart.option, p.lang), p.lang, MATRIX_PNG_WIDTH);
}

export const exportXlsx = async (p: PreparedExport, out: Writable) =>
  writeXlsx(out, p.tables, exportResponses(p.assessment), {
    matrixPng: await matrixPng(p),
    matrixDescription: p.assessment.name,
  });
export const exportRankingsCsv = (p: PreparedExport, out: Writable) =>
  writeTableCsv(out, p.tables.rankings);
export const exportResponsesCsv = (p: PreparedExport, out: Writable) =>
  writeResponsesCsv(out, p.tables.responses, exportResponses(p.assessment));

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
