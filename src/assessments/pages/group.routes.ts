import { Request, Response, Router } from 'express';
import { addGroup, removeGroup, updateGroup } from '../services/group.service';
import { groupEditForm, groupForm, groupValues, pageForm } from './form-input';
import { groupPage, groupsPage } from './page.loaders';
import { notice } from './page.presenter';

const id = (req: Request) => String(req.params.id);
const base = (req: Request) => `/assessments/${id(req)}`;
const code = (req: Request) => String(req.params.code);
const HINTS = { weight: 'assess.groups.weightHint', targetResponses: 'assess.groups.targetHint' };

/** Stakeholder groups: list, add, edit (only weight and target once locked), remove. */
export function groupRoutes(): Router {
  const router = Router();

  const renderGroups = async (req: Request, res: Response, extra: object = {}) => {
    const page = await groupsPage(req.user, id(req), req.lang);
    res.render('assessments/groups', {
      title: `${res.locals.t('assess.tabs.groups')} · ${page.assessment.name}`,
      tab: 'groups',
      ...page,
      values: groupValues(),
      errors: {},
      notice: notice(res.locals.t, req.query),
      ...extra,
    });
  };

  const renderGroup = async (req: Request, res: Response, extra: object = {}) => {
    const page = await groupPage(req.user, id(req), code(req), req.lang);
    res.render('assessments/group', {
      title: `${page.group.name} · ${page.assessment.name}`,
      tab: 'groups',
      ...page,
      errors: {},
      ...extra,
    });
  };

  router.get('/assessments/:id/groups', (req, res) => renderGroups(req, res));

  router.post(
    '/assessments/:id/groups',
    pageForm({
      form: groupForm,
      call: (input, req) => addGroup(req.user, id(req), input),
      redirect: (_g, req) => `${base(req)}/groups?done=groupAdded`,
      invalid: (f, req, res) =>
        renderGroups(req, res, { values: f.values, errors: f.errors, notice: null }),
      hints: HINTS,
    }),
  );

  router.get('/assessments/:id/groups/:code', (req, res) => renderGroup(req, res));

  router.post(
    '/assessments/:id/groups/:code',
    pageForm({
      form: groupEditForm,
      call: (input, req) => updateGroup(req.user, id(req), code(req), input),
      redirect: (_g, req) => `${base(req)}/groups?done=groupSaved#group-${code(req)}`,
      invalid: (f, req, res) =>
        renderGroup(req, res, { values: { ...f.values, code: code(req) }, errors: f.errors }),
      hints: HINTS,
    }),
  );

  router.get('/assessments/:id/groups/:code/remove', async (req, res) => {
    const page = await groupPage(req.user, req.params.id, code(req), req.lang);
    const t = res.locals.t;
    res.render('assessments/confirm', {
      title: t('assess.groups.removeTitle'),
      tab: 'groups',
      assessment: page.assessment,
      question: t('assess.groups.removeQuestion', { name: page.group.name, code: page.group.code }),
      consequence: t('assess.groups.removeConsequence'),
      action: `${base(req)}/groups/${encodeURIComponent(code(req))}/remove`,
      fields: {},
      submit: t('assess.groups.remove'),
      cancel: `${base(req)}/groups`,
    });
  });

  router.post('/assessments/:id/groups/:code/remove', async (req, res) => {
    await removeGroup(req.user, req.params.id, code(req));
    res.redirect(303, `${base(req)}/groups?done=groupRemoved`);
  });

  return router;
}
