import { Router } from 'express';
import type { Config } from '../config';

/** Respondent pages under /s/:token (no account: the link token is the credential). */
export function surveyRoutes(config: Config): Router {
  const router = Router();
  void config;
  return router;
}
