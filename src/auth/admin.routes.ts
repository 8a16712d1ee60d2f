import { Request, Response, Router } from 'express';
import { formRoute, lastValue } from '../shared/form';
import { requireRole } from './auth.middleware';
import { newUserForm, userChangeForm } from './user.schemas';
import { createUser, listUsers, updateUser } from './user.service';

export function adminRoutes(): Router {
  const router = Router();
  router.use(requireRole('manageUsers'));

  const renderUsers = async (req: Request, res: Response, extra: object = {}) =>
    res.render('admin/users', {
      title: res.locals.t('users.title'),
      users: await listUsers(req.user),
      values: { email: '', role: 'analyst' },
      errors: {},
      notice: null,
      ...extra,
    });
  const noticed = (res: Response, key: string, email: string) =>
    `/admin/users?notice=${encodeURIComponent(res.locals.t(key, { email }))}`;

  router.get('/users', (req, res) =>
    renderUsers(req, res, { notice: lastValue(req.query.notice) || null }),
  );

  router.post(
    '/users',
    formRoute({
      form: newUserForm,
      call: (input, req) => createUser(req.user, input),
      redirect: (u, _req, res) => noticed(res, 'users.created', u.email),
      invalid: (f, req, res) =>
        renderUsers(req, res, {
          values: { email: f.values.email ?? '', role: f.values.role ?? 'analyst' },
          errors: f.errors,
        }),
      // An e-mail in use is shown on its field, like a validation error.
      conflicts: { duplicate_email: 422 },
    }),
  );

  // No form to show again: a refused change (an unknown role, the last admin) goes to the error page.
  router.post(
    '/users/:id',
    formRoute({
      form: userChangeForm,
      call: (change, req) => updateUser(req.user, String(req.params.id), change),
      redirect: (u, _req, res) => noticed(res, 'users.updated', u.email),
    }),
  );

  return router;
}
