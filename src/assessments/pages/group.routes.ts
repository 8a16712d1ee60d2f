import { Request, Response, Router } from 'express';
import { addGroup, removeGroup, updateGroup } from '../assessment.service';
import { bodyValues, formErrors, groupInput, groupValues } from './form-input';
import { groupPage, groupsPage } from './page.loaders';
import { notice } from './page.presenter';

const base = (req: Request) => `/assessments/${req.params.id}`;
const code = (req: Request) => String(req.params.code);
const HINTS = { weight: 'assess.groups.weightHint', targetResponses: 'assess.groups.targetHint' };

/** Stakeholder groups: list, add, edit (only weight and target once locked), remove. */
export function groupRoutes(): Router {
  const router = Router();

  const renderGroups = async (req: Request, res: Response, extra: object = {}, status = 200) => {
    const page = await groupsPage(req.user, String(req.params.id));
    res.status(status).render('assessments/groups', {
      title: `${res.locals.t('assess.tabs.groups')} · ${page.assessment.name}`,
      tab: 'groups',
      ...page,
      values: groupValues(),
      errors: {},
      notice: notice(res.locals.t, req.query),
      ...extra,
    });
  };

  const renderGroup = async (req: Request, res: Response, extra: object = {}, status = 200) => {
    const page = await groupPage(req.user, String(req.params.id), code(req));
    res.status(status).render('assessments/group', {
      title: `${page.group.names[0].text} · ${page.assessment.name}`,
      tab: 'groups',
      ...page,
      errors: {},
      ...extra,
    });
  };

  router.get('/assessments/:id/groups', (req, res) => renderGroups(req, res));

  router.post('/assessments/:id/groups', async (req, res) => {
    try {
      await addGroup(req.user, req.params.id, groupInput(req.body ?? {}));
      res.redirect(303, `${base(req)}/groups?done=groupAdded`);
    } catch (err) {
      const f = formErrors(err, HINTS);
      await renderGroups(req, res, { values: bodyValues(req.body), errors: f.errors, notice: null }, f.status);
    }
  });

  router.get('/assessments/:id/groups/:code', (req, res) => renderGroup(req, res));

  router.post('/assessments/:id/groups/:code', async (req, res) => {
    try {
      await updateGroup(req.user, req.params.id, code(req), groupInput(req.body ?? {}, false));
      res.redirect(303, `${base(req)}/groups?done=groupSaved#group-${code(req)}`);
    } catch (err) {
      const f = formErrors(err, HINTS);
      await renderGroup(req, res, { values: { ...bodyValues(req.body), code: code(req) }, errors: f.errors }, f.status);
    }
  });

  router.get('/assessments/:id/groups/:code/remove', async (req, res) => {
    const page = await groupPage(req.user, req.params.id, code(req));
    res.render('assessments/confirm', {
      title: res.locals.t('assess.groups.removeTitle'),
      tab: 'groups',
      assessment: page.assessment,
      question: res.locals.t('assess.groups.removeQuestion', { name: page.group.names[0].text, code: page.group.code }),
      consequence: res.locals.t('assess.groups.removeConsequence'),
      action: `${base(req)}/groups/${encodeURIComponent(code(req))}/remove`,
      fields: {},
      submit: res.locals.t('assess.groups.remove'),
      cancel: `${base(req)}/groups`,
    });
  });

  router.post('/assessments/:id/groups/:code/remove', async (req, res) => {
    await removeGroup(req.user, req.params.id, code(req));
    res.redirect(303, `${base(req)}/groups?done=groupRemoved`);
  });

  return router;
}
