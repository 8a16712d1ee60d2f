import type { Request, Response } from 'express';
import { actorOf, recordAudit } from '../audit/audit.writer';
import { peekAnalytics } from '../analytics/analytics.service';
import type { Config } from '../config';
import { CSV_TYPE, OutputClosed } from '../shared/csv';
import { LANG_COOKIE } from '../shared/i18n';
import { appendixModel } from '../review/appendix/appendix.service';
import { setStampHeader, stampFilePart } from '../review/stamp';
import {
  contentDisposition,
  exportRankingsCsv,
  exportResponsesCsv,
  exportXlsx,
  prepareExport,
  type PreparedExport,
} from './export.service';
import { analyticsTable, appendixTable, tableContext } from './tables';
import { XLSX_TYPE } from './xlsx';

// The download handlers shared by the staff pages (session) and the JSON API (bearer).

interface Download {
  type: string;
  /** ASCII file name ending after the assessment's name */
  tail: (p: PreparedExport) => string;
  write: (p: PreparedExport, out: Response) => Promise<void>;
  /** Reads what the file needs beyond the results, before the first byte (the workbook's review sheets). */
  more?: (p: PreparedExport, req: Request) => Promise<void>;
}

/**
 * The review piece's sheets of the workbook: the method appendix (the same model as the appendix
 * page) and the analytics as cached for the current data; a missing cache is said on the sheet,
 * never computed here (an export must not start a bootstrap).
 */
async function reviewSheets(p: PreparedExport, req: Request): Promise<void> {
  const [ap, an] = await Promise.all([
    appendixModel(req.user, p.assessment._id, p.lang),
    peekAnalytics(p.assessment),
  ]);
  p.tables.appendix = appendixTable(ap);
  p.tables.analytics = analyticsTable(tableContext(p.results, p.assessment, p.lang), an);
}

/** `<assessment>-<year>-<kind>-<lang>.<ext>`: files in two languages do not overwrite each other. */
const tail = (kind: string, ext: string) => (p: PreparedExport) =>
  `-${p.assessment.reportingYear}-${kind}-${p.lang}.${ext}`;

/**
 * A CSV cannot hold the review stamp inside (a first line would break readers that expect the header
 * there), so its name ends with it: `…-<lang>-provisional.csv` / `…-<lang>-signed-off-<date>.csv`.
 * Every sheet of a workbook carries it already, so the workbook's name stays as it was.
 */
const csvTail = (kind: string) => (p: PreparedExport) =>
  `-${p.assessment.reportingYear}-${kind}-${p.lang}-${stampFilePart(p.assessment)}.csv`;

export const DOWNLOADS = {
  xlsx: { type: XLSX_TYPE, tail: tail('results', 'xlsx'), write: exportXlsx, more: reviewSheets },
  rankingsCsv: { type: CSV_TYPE, tail: csvTail('rankings'), write: exportRankingsCsv },
  responsesCsv: { type: CSV_TYPE, tail: csvTail('responses'), write: exportResponsesCsv },
} satisfies Record<string, Download>;

/**
 * A download handler: everything that can fail with a clear answer (role, unknown id) happens
 * before the headers; a failure while streaming breaks the connection, so a cut-off file is never
 * mistaken for a complete one.
 */
export function download(config: Config, d: Download) {
  return async (req: Request, res: Response) => {
    const p = await prepareExport(req.user, String(req.params.id), req.lang, config.sessionSecret);
    await d.more?.(p, req);
    await recordAudit({
      actor: actorOf(req.user),
      action: 'export',
      assessmentId: p.assessment._id,
      target: d.tail(p).replace(/^-/, ''),
    });
    keepUiLanguage(res);
    res.status(200);
    res.setHeader('Content-Type', d.type);
    res.setHeader('Content-Disposition', contentDisposition(p.assessment.name, d.tail(p)));
    res.setHeader('Cache-Control', 'no-store');
    setStampHeader(res, p.assessment);
    try {
      await d.write(p, res);
    } catch (err) {
      if (!res.headersSent) throw err;
      // A client that went away (OutputClosed, ExportAborted for a workbook) is not a failure to log.
      if (!(err instanceof OutputClosed)) req.log?.error({ err }, 'export failed while streaming');
      res.destroy();
    }
  };
}

/** `?lang=` chooses the language of the file; it must not also switch the user's interface language. */
function keepUiLanguage(res: Response) {
  const cookies = res.getHeader('Set-Cookie');
  if (cookies === undefined) return;
  const kept = (Array.isArray(cookies) ? cookies : [String(cookies)]).filter(
    (c) => !c.startsWith(`${LANG_COOKIE}=`),
  );
  if (kept.length) res.setHeader('Set-Cookie', kept);
  else res.removeHeader('Set-Cookie');
}
