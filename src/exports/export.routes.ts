import { Router } from 'express';
import type { Config } from '../config';

/** Staff pages and downloads for exports (session auth) */
export function exportRoutes(config: Config): Router {
  const router = Router();
  void config;
  return router;
}
