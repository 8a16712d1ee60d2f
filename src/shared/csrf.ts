import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { Config } from '../config';

// Double-submit tokens bound to a per-browser id cookie: they work before login and on the
// respondent pages, which have no server session.
export const BROWSER_COOKIE = 'dma.bid';

export function browserId(req: Request, res: Response, next: NextFunction) {
  let id = req.cookies?.[BROWSER_COOKIE];
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{22,64}$/.test(id)) {
    id = crypto.randomBytes(18).toString('base64url');
    res.cookie(BROWSER_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure: req.secure, maxAge: 400 * 864e5 }); // Secure whenever served over HTTPS
    req.cookies[BROWSER_COOKIE] = id;
  }
  next();
}

export function csrfProtection(config: Config) {
  const make = (secure: boolean) =>
    doubleCsrf({
      getSecret: () => config.sessionSecret,
      getSessionIdentifier: (req) => String(req.cookies?.[BROWSER_COOKIE] ?? ''),
      cookieName: 'dma.csrf',
      cookieOptions: { sameSite: 'lax', path: '/', secure, httpOnly: true },
      getCsrfTokenFromRequest: (req) =>
        (req.body?._csrf as string) ??
        (req.headers['x-csrf-token'] as string) ??
        // File uploads (multipart) are parsed by their route, after this check: they carry the token in the URL.
        (req.is('multipart/form-data') ? (req.query._csrf as string) : undefined),
      // The JSON API authenticates with bearer tokens, never cookies, so it needs no CSRF token.
      skipCsrfProtection: (req) => req.path.startsWith('/api/'),
    });
  // COOKIE_SECURE=auto: a Secure cookie when the request came over HTTPS, as express-session does.
  const secure = make(true);
  const plain = make(false);
  const pick = (req: Request) => (config.cookieSecure === true || (config.cookieSecure === 'auto' && req.secure) ? secure : plain);
  return [
    (req: Request, res: Response, next: NextFunction) => pick(req).doubleCsrfProtection(req, res, next),
    (req: Request, res: Response, next: NextFunction) => {
      res.locals.csrfToken = pick(req).generateCsrfToken(req, res);
      next();
    },
  ];
}
