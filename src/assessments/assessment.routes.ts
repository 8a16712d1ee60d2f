import { Router } from 'express';
import type { Config } from '../config';

/** Staff pages under /assessments (login required; roles checked in services). */
export function assessmentRoutes(config: Config): Router {
  const router = Router();
  void config;
  return router;
}
