import { Request, Response, Router } from 'express';
import { formRoute } from '../shared/form';
import { tokenRows } from './account.presenter';
import { renewLogin } from './passport';
import { createToken, listTokens, revokeToken } from './token.service';
import { passwordChangeForm, tokenForm } from './user.schemas';
import { changeOwnPassword } from './user.service';

export function accountRoutes(): Router {
  const router = Router();

  const render = async (req: Request, res: Response, extra: object = {}) =>
    res.render('auth/account', {
      title: res.locals.t('account.title'),
      tokens: tokenRows(await listTokens(req.user!)),
      errors: {},
      notice: null,
      newToken: null,
      ...extra,
    });

  router.get('/account', (req, res) =>
    render(req, res, { notice: req.query.changed ? res.locals.t('account.changed') : null }),
  );

  router.post(
    '/account/password',
    formRoute({
      form: passwordChangeForm,
      // The change ends every session of the user; this one goes on in a fresh session.
      call: async (input, req) => {
        await changeOwnPassword(req.user, input.current, input.password);
        await renewLogin(req);
      },
      redirect: () => '/account?changed=1',
      invalid: (f, req, res) => render(req, res, { errors: f.errors }),
    }),
  );

  router.post(
    '/account/tokens',
    formRoute({
      form: tokenForm,
      call: (input, req) => createToken(req.user!, input.name),
      // Shown once, in the response to the POST itself; never stored in clear.
      respond: ({ token }, req, res) => render(req, res.status(201), { newToken: token }),
      invalid: (f, req, res) => render(req, res, { errors: f.errors }),
    }),
  );

  router.post('/account/tokens/:id/revoke', async (req, res) => {
    await revokeToken(req.user!, req.params.id);
    res.redirect(303, '/account');
  });

  return router;
}
