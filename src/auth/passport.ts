import type { Handler, RequestHandler } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { authenticate, findActiveUser } from './user.service';

let configured = false;

/** Sessions hold the user id only; the user is re-read (a primary-key read) on each request. */
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
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    findActiveUser(id).then((u) => done(null, u ?? false), done);
  });
  return passport;
}
