import { Router } from 'express';
import type { Config } from '../config';
import { LANGS } from '../shared/i18n';
import { DOWNLOADS, download } from './export.http';
import { exportPage } from './export.service';

/** Staff pages and downloads for exports (session auth; the `read` role is checked in services). */
export function exportRoutes(config: Config): Router {
  const router = Router();
  router.get('/assessments/:id/exports', async (req, res) => {
    const page = await exportPage(req.user, req.params.id);
    res.render('exports/index', { title: res.locals.t('exports.page.title'), ...page, fileLangs: LANGS });
  });
  router.get('/assessments/:id/export.xlsx', download(config, DOWNLOADS.xlsx));
  router.get('/assessments/:id/export.csv', download(config, DOWNLOADS.rankingsCsv));
  router.get('/assessments/:id/responses.csv', download(config, DOWNLOADS.responsesCsv));
  return router;
}
