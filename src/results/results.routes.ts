import { Request, Response, Router } from 'express';
import type { Config } from '../config';
import { can } from '../auth/roles';
import { translator } from '../shared/i18n';
import { matrixFileHandler, matrixQuery } from './matrix.api';
import { MATRIX_BUNDLE_PATH, matrixBundleUrl, sendMatrixBundle } from './matrix-bundle';
import { matrixPage } from './matrix-page';
import { rankingAnalyticsOf } from './rankings-analytics';
import { rankingsPage } from './results.presenter';
import { matrixView, resultsView } from './results-view.service';

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

  // The scoring settings are saved on the Settings tab (/assessments/:id/settings/scoring).
  const renderRankings = async (req: Request, res: Response) => {
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
        errors: {},
        analytics,
      }),
    );
  };

  router.get('/assessments/:id/rankings', (req, res) => renderRankings(req, res));

  return router;
}
