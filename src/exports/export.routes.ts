import { Router } from 'express';
import type { Config } from '../config';
import { LANGS, translator } from '../shared/i18n';
import { DOWNLOADS, download } from './export.http';
import { exportPage } from './export.service';

/** Staff pages and downloads for exports (session auth; the `read` role is checked in services). */
export function exportRoutes(config: Config): Router {
  const router = Router();
  router.get('/assessments/:id/exports', async (req, res) => {
    const page = await exportPage(req.user, req.params.id);
    // The page's translator, as views get it in res.locals.t (set from req.lang by shared/i18n).
    res.render('exports/index', {
      title: translator(req.lang)('exports.page.title'),
      ...page,
      fileLangs: LANGS,
    });
  });
  router.get('/assessments/:id/export.xlsx', download(config, DOWNLOADS.xlsx));
  router.get('/assessments/:id/export.csv', download(config, DOWNLOADS.rankingsCsv));
  router.get('/assessments/:id/responses.csv', download(config, DOWNLOADS.responsesCsv));
  return router;
}
