import { Router } from 'express';
import { AppError, ValidationError } from '../shared/errors';
import { fieldMap } from '../shared/validate';
import { requireRole } from './auth.middleware';
import { createUser, listUsers, updateUser } from './user.service';

export function adminRoutes(): Router {
  const router = Router();
  router.use(requireRole('manageUsers'));

  router.get('/users', async (req, res) => {
    res.render('admin/users', { title: res.locals.t('users.title'), users: await listUsers(req.user), values: { email: '', role: 'analyst' }, errors: {}, notice: req.query.notice ? String(req.query.notice) : null });
  });

  router.post('/users', async (req, res) => {
    try {
      const u = await createUser(req.user, { email: req.body.email, password: req.body.password, role: req.body.role });
      res.redirect(303, `/admin/users?notice=${encodeURIComponent(res.locals.t('users.created', { email: u.email }))}`);
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof AppError && err.code === 'duplicate_email')) throw err;
      const errors = err instanceof ValidationError ? fieldMap(err) : { email: 'users.duplicate' };
      res.status(422).render('admin/users', { title: res.locals.t('users.title'), users: await listUsers(req.user), values: { email: req.body.email ?? '', role: req.body.role ?? 'analyst' }, errors, notice: null });
    }
  });

  router.post('/users/:id', async (req, res) => {
    const change: Record<string, unknown> = {};
    if (req.body.role) change.role = req.body.role;
    if (req.body.disabled !== undefined) change.disabled = req.body.disabled === 'true';
    const u = await updateUser(req.user, req.params.id, change);
    res.redirect(303, `/admin/users?notice=${encodeURIComponent(res.locals.t('users.updated', { email: u.email }))}`);
  });

  return router;
}
