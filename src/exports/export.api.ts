import { Router } from 'express';
import type { Config } from '../config';

/** /api/v1/assessments/:id/export.xlsx and export.csv (bearer auth) */
export function exportApi(config: Config): Router {
  const router = Router();
  void config;
  return router;
}
