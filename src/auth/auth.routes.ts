import { Request, Router } from 'express';
import { recordAudit } from '../audit/audit.writer';
import type { Config } from '../config';
import { AppError } from '../shared/errors';
import { formRoute, readForm } from '../shared/form';
import { safeNext } from '../shared/http';
import { loginLimiters } from './login-limit';
import { configurePassport } from './passport';
import { SessionUser } from './roles';
import { loginForm, setupForm } from './user.schemas';
import { createFirstAdmin, userCount } from './user.service';

/** req.logIn as a promise, for the form helper (passport regenerates the session). */
const logIn = (req: Request, user: SessionUser) =>
  new Promise<void>((resolve, reject) =>
    req.logIn(user, (err?: Error) => (err ? reject(err) : resolve())),
  );

export function authRoutes(config: Config): Router {
  const router = Router();
  const passport = configurePassport();

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(303, '/');
    if ((await userCount()) === 0) return res.redirect(303, '/setup');
    res.render('auth/login', {
      title: res.locals.t('login.title'),
      email: '',
      error: null,
      next: safeNext(req.query.next),
      notice: req.query.loggedOut ? res.locals.t('login.loggedOut') : null,
    });
  });

  router.post('/login', ...loginLimiters(config), (req, res, next) => {
    const form = readForm(loginForm, req);
    const target = safeNext(form.next);
    passport.authenticate('local', (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) {
        // Recorded before the answer: a failed attempt whose entry cannot be written is an error.
        return recordAudit({
          actor: { id: 'anonymous', email: String(form.email ?? '').slice(0, 254) },
          action: 'login.failed',
          target: String(form.email ?? '').slice(0, 254),
        }).then(
          () =>
            res.status(401).render('auth/login', {
              title: res.locals.t('login.title'),
              email: form.email,
              error: res.locals.t('login.invalid'),
              next: target,
              notice: null,
            }),
          next,
        );
      }
      // passport regenerates the session on login (no session fixation).
      req.logIn(user, (e) => (e ? next(e) : res.redirect(303, target)));
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => res.redirect(303, '/login?loggedOut=1'));
    });
  });

  router.get('/setup', async (_req, res) => {
    if ((await userCount()) > 0) throw new AppError(404, 'not_found', 'errors.notFound');
    res.render('auth/setup', {
      title: res.locals.t('setup.title'),
      values: { email: '' },
      errors: {},
    });
  });

  router.post(
    '/setup',
    formRoute({
      form: setupForm,
      call: async (input, req) => logIn(req, await createFirstAdmin(input)),
      redirect: () => '/',
      invalid: (f, _req, res) =>
        res.render('auth/setup', {
          title: res.locals.t('setup.title'),
          values: { email: f.values.email ?? '' },
          errors: f.errors,
        }),
    }),
  );

  return router;
}
