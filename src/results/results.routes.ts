import { Router } from 'express';
import type { Config } from '../config';

/** Staff pages: matrix, rankings (session auth; roles in services) */
export function resultsRoutes(config: Config): Router {
  const router = Router();
  void config;
  return router;
}
