import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { Config } from '../config';

// Double-submit tokens bound to a per-browser id cookie: they work before login and on the
// respondent pages, which have no server session.
export const BROWSER_COOKIE = 'dma.bid';

export function browserId(req: Request, res: Response, next: NextFunction) {
  const known: unknown = req.cookies?.[BROWSER_COOKIE];
  if (typeof known !== 'string' || !/^[A-Za-z0-9_-]{22,64}$/.test(known)) {
    const id = crypto.randomBytes(18).toString('base64url');
    res.cookie(BROWSER_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      maxAge: 400 * 864e5,
    }); // Secure whenever served over HTTPS
    req.cookies[BROWSER_COOKIE] = id;
  }
  next();
}

/** A field of a parsed body (urlencoded or JSON), whatever the body is. */
function bodyField(req: Request, name: string): unknown {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

export function csrfProtection(config: Config) {
  const make = (secure: boolean) =>
    doubleCsrf({
      getSecret: () => config.sessionSecret,
      getSessionIdentifier: (req) => String(req.cookies?.[BROWSER_COOKIE] ?? ''),
      cookieName: 'dma.csrf',
      cookieOptions: { sameSite: 'lax', path: '/', secure, httpOnly: true },
      getCsrfTokenFromRequest: (req) => {
        // Never from the URL (it would reach logs, history and Referer): uploads send it as a field
        // of their multipart body, which parseMultipart reads before this check.
        const token = bodyField(req, '_csrf') ?? req.headers['x-csrf-token'];
        // The first one present is the token; a repeated field or header (an array) is none.
        return typeof token === 'string' ? token : undefined;
      },
      // The JSON API authenticates with bearer tokens, never cookies, so it needs no CSRF token.
      skipCsrfProtection: (req) => req.path.startsWith('/api/'),
    });
  // COOKIE_SECURE=auto: a Secure cookie when the request came over HTTPS, as express-session does.
  const secure = make(true);
  const plain = make(false);
  const pick = (req: Request) =>
    config.cookieSecure === true || (config.cookieSecure === 'auto' && req.secure) ? secure : plain;
  return [
    (req: Request, res: Response, next: NextFunction) =>
      pick(req).doubleCsrfProtection(req, res, next),
    (req: Request, res: Response, next: NextFunction) => {
      res.locals.csrfToken = pick(req).generateCsrfToken(req, res);
      next();
    },
  ];
}
