import { Router } from 'express';
import type { Config } from '../config';
import { DOWNLOADS, download } from './export.http';

/** /api/v1/assessments/:id/export.xlsx, export.csv (rankings) and responses.csv (bearer auth) */
export function exportApi(config: Config): Router {
  const router = Router();
  router.get('/assessments/:id/export.xlsx', download(config, DOWNLOADS.xlsx));
  router.get('/assessments/:id/export.csv', download(config, DOWNLOADS.rankingsCsv));
  router.get('/assessments/:id/responses.csv', download(config, DOWNLOADS.responsesCsv));
  return router;
}
