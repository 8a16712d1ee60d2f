import type { Handler, Request, RequestHandler } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { authenticate, findSessionUser, sessionEpochOf } from './user.service';

let configured = false;

/** What a session stores: the user id and the user's session epoch when it was made. */
interface StoredUser {
  id: string;
  epoch: number;
}

/** Sessions from before the epoch stored the id alone: they carry epoch 0. */
function storedUser(v: unknown): StoredUser {
  if (typeof v === 'string') return { id: v, epoch: 0 };
  const o = (v ?? {}) as Partial<StoredUser>;
  return { id: String(o.id ?? ''), epoch: typeof o.epoch === 'number' ? o.epoch : -1 };
}

/**
 * Sessions hold the user id and session epoch; the user is re-read (a primary-key read) on each
 * request, and a session whose epoch is no longer the user's (password changed, account disabled)
 * is logged out. Sessions are read by `_id` only, so ending them never scans the sessions.
 */
export function configurePassport(): passport.Authenticator<Handler, RequestHandler> {
  if (configured) return passport;
  configured = true;
  passport.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password' },
      (email, password, done) => {
        authenticate(email, password).then((u) => done(null, u ?? false), done);
      },
    ),
  );
  passport.serializeUser((user, done) => {
    sessionEpochOf(user.id).then((epoch) => done(null, { id: user.id, epoch }), done);
  });
  passport.deserializeUser((stored: unknown, done) => {
    const { id, epoch } = storedUser(stored);
    findSessionUser(id, epoch).then((u) => done(null, u ?? false), done);
  });
  return passport;
}

/** Logs the request's user in again: a new session that carries the user's current epoch. */
export function renewLogin(req: Request): Promise<void> {
  const user = req.user;
  if (!user) return Promise.resolve();
  return new Promise((resolve, reject) =>
    req.login(user, (err) => (err ? reject(err as Error) : resolve())),
  );
}
