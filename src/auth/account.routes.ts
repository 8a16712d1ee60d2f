import { Router } from 'express';
import { ValidationError } from '../shared/errors';
import { fieldMap } from '../shared/validate';
import { createToken, listTokens, revokeToken } from './token.service';
import { changeOwnPassword } from './user.service';

export function accountRoutes(): Router {
  const router = Router();

  const render = async (req: Parameters<Parameters<typeof router.get>[1]>[0], res: Parameters<Parameters<typeof router.get>[1]>[1], extra: object = {}, status = 200) =>
    res.status(status).render('auth/account', {
      title: res.locals.t('account.title'),
      tokens: await listTokens(req.user!),
      errors: {},
      notice: null,
      newToken: null,
      ...extra,
    });

  router.get('/account', (req, res) => render(req, res, { notice: req.query.changed ? res.locals.t('account.changed') : null }));

  router.post('/account/password', async (req, res) => {
    try {
      if (req.body.password !== req.body.confirm) {
        throw new ValidationError([{ path: 'confirm', message: 'setup.mismatch' }]);
      }
      await changeOwnPassword(req.user, String(req.body.current ?? ''), req.body.password);
      res.redirect(303, '/account?changed=1');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, { errors: fieldMap(err) }, 422);
    }
  });

  router.post('/account/tokens', async (req, res) => {
    try {
      const { token } = await createToken(req.user!, req.body.name);
      // Shown once, in the response to the POST itself; never stored in clear.
      await render(req, res, { newToken: token }, 201);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, { errors: fieldMap(err) }, 422);
    }
  });

  router.post('/account/tokens/:id/revoke', async (req, res) => {
    await revokeToken(req.user!, req.params.id);
    res.redirect(303, '/account');
  });

  return router;
}
