import crypto from 'node:crypto';
import type { Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../config';
import { AppError } from '../shared/errors';
import { loadedSurvey } from './survey.loader';

/**
 * Submissions through an open (group) link are limited per link and client. Personal links are
 * single-use already, so they skip the limiter. The counters live in each app instance's memory:
 * a database counter would cost a write per submission (as much as the tallies), and this limit
 * only damps floods; with N instances a client gets at most N times the limit. Login limits, which
 * must hold across instances, stay in the database.
 */
export function submitLimiter(config: Config) {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: config.submitMaxPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // The IP is only hashed into the key; it is never stored in clear.
    keyGenerator: (req) =>
      crypto
        .createHash('sha256')
        .update(`${String(req.params.token)}|${ipKeyGenerator(req.ip ?? '')}`)
        .digest('hex')
        .slice(0, 32),
    validate: { keyGeneratorIpFallback: false }, // the key applies ipKeyGenerator itself
    handler: (_req, _res, next) => next(new AppError(429, 'rate_limited', 'survey.tooMany')),
  });
  // Expects the link resolved by the route's previous middleware (survey.loader.ts).
  return (
    req: Request,
    res: Parameters<typeof limiter>[1],
    next: Parameters<typeof limiter>[2],
  ) => {
    if (loadedSurvey(res)?.link.kind !== 'open') return next();
    return limiter(req, res, next);
  };
}
