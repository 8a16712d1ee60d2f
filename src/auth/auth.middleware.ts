import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../shared/errors';
import { Action, assertCan } from './roles';
import { authenticateToken } from './token.service';

/** Pages: redirect to the login page when nobody is logged in. */
export function requireLogin(req: Request, res: Response, next: NextFunction) {
  if (req.user) return next();
  if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
    return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  }
  next(new AppError(401, 'unauthorized', 'errors.authRequired'));
}

export function requireRole(action: Action) {
  return (req: Request, _res: Response, next: NextFunction) => {
    assertCan(req.user, action);
    next();
  };
}

/** /api/v1: `Authorization: Bearer <token>`; sets req.user for services. */
export async function bearerAuth(req: Request, _res: Response, next: NextFunction) {
  const header = req.headers.authorization;
  if (!header) throw new AppError(401, 'unauthorized', 'errors.tokenMissing');
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token) throw new AppError(401, 'invalid_token', 'errors.tokenHeader');
  req.user = await authenticateToken(token);
  next();
}
