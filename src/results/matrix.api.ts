import { Router } from 'express';
import type { Config } from '../config';

/** /api/v1/assessments/:id/matrix.svg and matrix.png (bearer auth) */
export function matrixApi(config: Config): Router {
  const router = Router();
  void config;
  return router;
}
