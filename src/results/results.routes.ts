import { Request, Response, Router } from 'express';
import type { Config } from '../config';
import { can } from '../auth/roles';
import { formRoute } from '../shared/form';
import { translator } from '../shared/i18n';
import { matrixFileHandler, matrixQuery } from './matrix.api';
import { MATRIX_BUNDLE_PATH, matrixBundleUrl, sendMatrixBundle } from './matrix-bundle';
import { matrixPage } from './matrix-page';
import { rankingAnalyticsOf } from './rankings-analytics';
import { rankingsPage, settingsPath } from './results.presenter';
import { matrixView, resultsView, updateResultSettings } from './results-view.service';
import { settingsForm } from './settings-form';

/** Staff pages: matrix, rankings (session auth; roles in services) */
export function resultsRoutes(config: Config): Router {
  const router = Router();
  void config;

  router.get(MATRIX_BUNDLE_PATH, sendMatrixBundle);

  router.get('/assessments/:id/matrix', async (req, res) => {
    const q = matrixQuery(req);
    const view = await matrixView(req.user, req.params.id, q);
    res.render(
      'results/matrix',
      matrixPage(view, q, translator(req.lang), { echartsUrl: matrixBundleUrl() }),
    );
  });
  router.get('/assessments/:id/matrix.svg', matrixFileHandler('svg'));
  router.get('/assessments/:id/matrix.png', matrixFileHandler('png'));

  const renderRankings = async (
    req: Request,
    res: Response,
    extra: { errors?: Record<string, string>; posted?: Record<string, unknown> } = {},
  ) => {
    const view = await resultsView(req.user, String(req.params.id));
    const analytics = await rankingAnalyticsOf(view.assessment);
    res.render(
      'results/rankings',
      rankingsPage(view, {
        lang: req.lang,
        t: translator(req.lang),
        query: req.query,
        canWrite: can(req.user, 'write'),
        saved: req.query.saved === '1',
        errors: extra.errors ?? {},
        posted: extra.posted,
        analytics,
      }),
    );
  };

  router.get('/assessments/:id/rankings', (req, res) => renderRankings(req, res));

  // The service checks the role before it reads the form, so a viewer gets 403 whatever they post.
  router.post(
    settingsPath(':id'),
    formRoute({
      form: settingsForm,
      call: (form, req) => updateResultSettings(req.user, String(req.params.id), form),
      redirect: (_r, req) => `/assessments/${String(req.params.id)}/rankings?saved=1#settings`,
      invalid: (f, req, res) => renderRankings(req, res, { errors: f.errors, posted: f.values }),
    }),
  );

  return router;
}
