import { Request, Response, Router } from 'express';
import type { Config } from '../config';
import { createAssessment, setStatus, updateAssessment } from './assessment.service';
import { bodyValues, createInput, createValues, formErrors, settingsInput } from './pages/form-input';
import { groupRoutes } from './pages/group.routes';
import { invitationRoutes } from './pages/invitation.routes';
import { listPage, overviewPage, statusPage } from './pages/page.loaders';
import { notice } from './pages/page.presenter';
import { previewRoutes } from './pages/preview.routes';
import { topicRoutes } from './pages/topic.routes';

/** Staff pages under /assessments (login required; roles checked in services). */
export function assessmentRoutes(config: Config): Router {
  const router = Router();

  const renderList = async (req: Request, res: Response, extra: object = {}, status = 200) =>
    res.status(status).render('assessments/list', {
      title: res.locals.t('assess.list.title'),
      ...(await listPage(req.user)),
      values: createValues(),
      errors: {},
      ...extra,
    });

  router.get('/assessments', (req, res) => renderList(req, res));

  router.post('/assessments', async (req, res) => {
    try {
      const a = await createAssessment(req.user, createInput(req.body ?? {}));
      res.redirect(303, `/assessments/${a._id}?done=created`);
    } catch (err) {
      const f = formErrors(err, { reportingYear: 'assess.create.yearHint' });
      await renderList(req, res, { values: bodyValues(req.body), errors: f.errors }, f.status);
    }
  });

  const renderOverview = async (req: Request, res: Response, extra: object = {}, status = 200) => {
    const page = await overviewPage(req.user, String(req.params.id), req.lang);
    res.status(status).render('assessments/overview', { title: page.assessment.name, tab: 'overview', ...page, errors: {}, notice: notice(res.locals.t, req.query), ...extra });
  };

  router.get('/assessments/:id', (req, res) => renderOverview(req, res));

  router.post('/assessments/:id/settings', async (req, res) => {
    try {
      await updateAssessment(req.user, req.params.id, settingsInput(req.body ?? {}));
      res.redirect(303, `/assessments/${req.params.id}?done=settingsSaved#settings`);
    } catch (err) {
      const f = formErrors(err);
      await renderOverview(req, res, { values: bodyValues(req.body), errors: f.errors, notice: null }, f.status);
    }
  });

  // Status changes are confirmed on a page of their own: GET asks, POST does it.
  router.get('/assessments/:id/status', async (req, res) => {
    const page = await statusPage(req.user, req.params.id, req.query.to);
    const t = res.locals.t;
    res.render('assessments/confirm', {
      title: t(`assess.status.${page.key}.title`),
      assessment: page.assessment,
      question: t(`assess.status.${page.key}.question`, { name: page.assessment.name }),
      consequence: t(`assess.status.${page.key}.consequence`),
      action: `/assessments/${page.assessment.id}/status`,
      fields: { status: page.to },
      submit: t(`assess.status.${page.key}.submit`),
      cancel: `/assessments/${page.assessment.id}`,
      danger: page.key === 'close',
    });
  });

  router.post('/assessments/:id/status', async (req, res) => {
    const a = await setStatus(req.user, req.params.id, { status: req.body?.status });
    res.redirect(303, `/assessments/${a._id}?done=status-${a.status}`);
  });

  router.use(topicRoutes());
  router.use(groupRoutes());
  router.use(invitationRoutes(config));
  router.use(previewRoutes());
  return router;
}
