import { Router } from 'express';
import type { Config } from '../config';
import { AppError, ValidationError } from '../shared/errors';
import { safeNext } from '../shared/http';
import { fieldMap } from '../shared/validate';
import { loginLimiters } from './login-limit';
import { configurePassport } from './passport';
import { SessionUser } from './roles';
import { createFirstAdmin, userCount } from './user.service';

export function authRoutes(config: Config): Router {
  const router = Router();
  const passport = configurePassport();

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(303, '/');
    if ((await userCount()) === 0) return res.redirect(303, '/setup');
    res.render('auth/login', { title: res.locals.t('login.title'), email: '', error: null, next: safeNext(req.query.next), notice: req.query.loggedOut ? res.locals.t('login.loggedOut') : null });
  });

  router.post('/login', ...loginLimiters(config), (req, res, next) => {
    const target = safeNext(req.body.next);
    passport.authenticate('local', (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) {
        const email = String(req.body.email ?? '');
        return res.status(401).render('auth/login', { title: res.locals.t('login.title'), email, error: res.locals.t('login.invalid'), next: target, notice: null });
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
    res.render('auth/setup', { title: res.locals.t('setup.title'), values: { email: '' }, errors: {} });
  });

  router.post('/setup', async (req, res, next) => {
    const values = { email: String(req.body.email ?? '') };
    const t = res.locals.t;
    try {
      if (req.body.password !== req.body.confirm) {
        throw new ValidationError([{ path: 'confirm', message: t('setup.mismatch') }]);
      }
      const user: SessionUser = await createFirstAdmin({ email: req.body.email, password: req.body.password });
      req.logIn(user, (err) => (err ? next(err) : res.redirect(303, '/')));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('auth/setup', { title: t('setup.title'), values, errors: fieldMap(err) });
    }
  });

  return router;
}
