import path from 'node:path';
import { Request, Response, Router } from 'express';
import type { Config } from '../config';
import { can } from '../auth/roles';
import { ValidationError } from '../shared/errors';
import { fieldMap } from '../shared/validate';
import { matrixFileHandler, matrixQuery } from './matrix.api';
import { matrixPage, rankingsPage, settingsPath } from './results.presenter';
import { matrixView, resultsView, updateResultSettings } from './results-view.service';

// echarts from npm, served from our own origin (the CSP allows only 'self' scripts); the version
// in the URL lets the browser cache it for long and still pick up an upgrade.
const ECHARTS_FILE = path.join(path.dirname(require.resolve('echarts')), 'echarts.min.js');
export const ECHARTS_URL = `/static/vendor/echarts.min.js?v=${(require('echarts/package.json') as { version: string }).version}`;

/** Staff pages: matrix, rankings (session auth; roles in services) */
export function resultsRoutes(config: Config): Router {
  const router = Router();
  void config;

  router.get('/static/vendor/echarts.min.js', (_req, res) => {
    res.sendFile(ECHARTS_FILE, { maxAge: '30d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });

  router.get('/assessments/:id/matrix', async (req, res) => {
    const q = matrixQuery(req);
    const view = await matrixView(req.user, req.params.id, q);
    res.render('results/matrix', matrixPage(view, q, res.locals.t, { echartsUrl: ECHARTS_URL }));
  });
  router.get('/assessments/:id/matrix.svg', matrixFileHandler('svg'));
  router.get('/assessments/:id/matrix.png', matrixFileHandler('png'));

  const renderRankings = async (req: Request, res: Response, extra: { errors?: Record<string, string>; posted?: Record<string, unknown> } = {}, status = 200) => {
    const view = await resultsView(req.user, String(req.params.id));
    res.status(status).render(
      'results/rankings',
      rankingsPage(view, {
        lang: req.lang,
        t: res.locals.t,
        query: req.query,
        canWrite: can(req.user, 'write'),
        saved: req.query.saved === '1',
        errors: extra.errors ?? {},
        posted: extra.posted,
      }),
    );
  };

  router.get('/assessments/:id/rankings', (req, res) => renderRankings(req, res));

  router.post(settingsPath(':id'), async (req, res) => {
    try {
      const id = String(req.params.id);
      await updateResultSettings(req.user, id, req.body ?? {});
      res.redirect(303, `/assessments/${id}/rankings?saved=1#settings`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderRankings(req, res, { errors: fieldMap(err), posted: req.body ?? {} }, 422);
    }
  });

  return router;
}
