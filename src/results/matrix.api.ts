import { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { LANGS } from '../shared/i18n';
import { parse } from '../shared/validate';
import type { LabelMode } from './matrix-chart';
import { matrixFile, type MatrixQuery } from './results-view.service';

// Repeated parameters arrive as arrays; the last one wins, as in a form where a hidden default
// precedes its checkbox (`labels=0&labels=1`).
const last = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v);
const blankAsUndefined = (v: unknown) => (last(v) === '' ? undefined : last(v));

const querySchema = z.object({
  lang: z.preprocess(blankAsUndefined, z.enum(LANGS).optional()),
  group: z.preprocess(blankAsUndefined, z.string().trim().max(40).optional()),
  labels: z.preprocess(last, z.string().optional()),
  range: z.preprocess(blankAsUndefined, z.enum(['full', 'fit']).optional()),
  labelSize: z.preprocess(blankAsUndefined, z.coerce.number().int().min(8).max(20).optional()),
  arrows: z.preprocess(last, z.string().optional()),
  whiskers: z.preprocess(last, z.string().optional()),
  width: z.preprocess(blankAsUndefined, z.coerce.number().int().min(200).max(5000).optional()),
});

// `labels=0`/`1` (the page's checkbox of old) still work beside the named modes.
const LABEL_MODES: Record<string, LabelMode> = {
  '0': 'none',
  none: 'none',
  '1': 'names',
  names: 'names',
  numbered: 'numbered',
};

/**
 * `?lang=&group=&labels=names|numbered|none&range=full|fit&labelSize=8..20&arrows=0&whiskers=0`
 * (and `?width=` for PNG) of the matrix page and its downloads; README "Matrix" lists them.
 */
export function matrixQuery(req: Request): MatrixQuery & { width?: number } {
  const q = parse(querySchema, req.query);
  return {
    lang: q.lang ?? req.lang,
    group: q.group || undefined,
    labels:
      (q.labels !== undefined && Object.hasOwn(LABEL_MODES, q.labels) && LABEL_MODES[q.labels]) ||
      'names',
    range: q.range,
    labelSize: q.labelSize,
    arrows: q.arrows !== '0',
    whiskers: q.whiskers !== '0',
    width: q.width,
  };
}

/** Sends matrix.svg or matrix.png; shared by the page routes (session) and the API (bearer). */
export function matrixFileHandler(format: 'svg' | 'png') {
  return async (req: Request, res: Response) => {
    // A page's <img> (the overview's picture) is not an export for the audit log.
    const embedded = req.get('sec-fetch-dest') === 'image';
    const file = await matrixFile(
      req.user,
      String(req.params.id),
      { ...matrixQuery(req), format },
      { embedded },
    );
    res.attachment(file.filename);
    res.set({ 'Content-Type': file.contentType, 'Cache-Control': 'private, no-cache' });
    res.send(file.body);
  };
}

/** /api/v1/assessments/:id/matrix.svg and matrix.png (bearer auth) */
export function matrixApi(config: Config): Router {
  const router = Router();
  void config;
  router.get('/assessments/:id/matrix.svg', matrixFileHandler('svg'));
  router.get('/assessments/:id/matrix.png', matrixFileHandler('png'));
  return router;
}
