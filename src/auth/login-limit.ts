import type { Request, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { z } from 'zod';
import type { Config } from '../config';
import { DatabaseRateLimitStore } from '../shared/rate-limit-store';

// Failed logins are counted per IP and per account (successful ones are given back), in the
// database so that every app instance sees the same counts.
export function loginLimiters(config: Config): RateLimitRequestHandler[] {
  const common = {
    windowMs: config.login.windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    handler: tooMany,
  };
  return [
    rateLimit({
      ...common,
      limit: config.login.maxPerIp,
      store: new DatabaseRateLimitStore('login-ip'),
    }),
    rateLimit({
      ...common,
      limit: config.login.maxPerAccount,
      store: new DatabaseRateLimitStore('login-account'),
      keyGenerator: (req) => accountKey(req),
    }),
  ];
}

/** The posted e-mail, when it is one text (anything else counts under one shared key). */
const accountField = z.object({ email: z.string() });

function accountKey(req: Request): string {
  const posted = accountField.safeParse(req.body);
  const email = posted.success ? posted.data.email.trim().toLowerCase() : '';
  return email || 'no-email';
}

function tooMany(req: Request, res: Response) {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  const minutes = Math.max(
    1,
    Math.ceil(((reset ? +reset : Date.now() + 60_000) - Date.now()) / 60_000),
  );
  res.setHeader('Retry-After', String(minutes * 60));
  res.status(429).format({
    html: () => res.render('auth/too-many', { title: res.locals.t('login.tooManyTitle'), minutes }),
    json: () =>
      res.json({
        error: {
          code: 'rate_limited',
          message: `Too many failed attempts. Try again in ${minutes} minutes.`,
        },
      }),
  });
}
