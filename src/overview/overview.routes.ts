import { Request, Response, Router } from 'express';
import {
  createForm,
  createValues,
  pageForm,
  settingsForm,
  statusForm,
} from '../assessments/pages/form-input';
import { notice } from '../assessments/pages/page.presenter';
import {
  createAssessment,
  setStatus,
  updateAssessment,
} from '../assessments/services/assessment.service';
import { setBranding } from '../assessments/services/branding.service';
import { updateResultSettings } from '../results/results-view.service';
import { settingsForm as scoringForm } from '../results/settings-form';
import { formRoute } from '../shared/form';
import { brandingErrors, readBranding } from './branding.form';
import { listPage, overviewPage, settingsPage, statusPage } from './overview.loaders';

const id = (req: Request) => String(req.params.id);

/** The assessments list, an assessment's overview, its settings and status (login required; roles checked in services). */
export function overviewRoutes(): Router {
  const router = Router();

  const renderList = async (req: Request, res: Response, extra: object = {}) =>
    res.render('assessments/list', {
      title: res.locals.t('assess.list.title'),
      ...(await listPage(req.user)),
      values: createValues(),
      errors: {},
      ...extra,
    });

  router.get('/assessments', (req, res) => renderList(req, res));
  // After login a user lands here: the home page is the assessments list.
  router.get('/', (req, res) => renderList(req, res));

  router.post(
    '/assessments',
    pageForm({
      form: createForm,
      call: (input, req) => createAssessment(req.user, input),
      redirect: (a) => `/assessments/${a._id}?done=created`,
      invalid: (f, req, res) => renderList(req, res, { values: f.values, errors: f.errors }),
      hints: { reportingYear: 'assess.create.yearHint' },
    }),
  );

  const renderOverview = async (req: Request, res: Response, extra: object = {}) => {
    const page = await overviewPage(req.user, id(req), req.lang);
    res.render('assessments/overview', {
      title: page.assessment.name,
      tab: 'overview',
      wide: true,
      ...page,
      errors: {},
      notice: notice(res.locals.t, req.query),
      ...extra,
    });
  };

  router.get('/assessments/:id', (req, res) => renderOverview(req, res));

  // The Settings tab: the questionnaire settings and the scoring settings, each its own form.
  const renderSettings = async (
    req: Request,
    res: Response,
    extra: { values?: object; errors?: object; notice?: null } = {},
    scoring: { errors?: Record<string, string>; posted?: Record<string, unknown> } = {},
    branding: { errors?: Record<string, string>; posted?: Record<string, string | string[]> } = {},
  ) => {
    const page = await settingsPage(req.user, id(req), req.lang, scoring, branding);
    const t = res.locals.t;
    res.render('assessments/settings', {
      title: `${t('overview.settings.title')} · ${page.assessment.name}`,
      tab: 'settings',
      ...page,
      errors: {},
      notice:
        req.query.done === 'scoringSaved' ? t('overview.settings.saved') : notice(t, req.query),
      ...extra,
    });
  };

  router.get('/assessments/:id/settings', (req, res) => renderSettings(req, res));

  router.post(
    '/assessments/:id/settings',
    pageForm({
      form: settingsForm,
      call: (input, req) => updateAssessment(req.user, id(req), input),
      redirect: (_a, req) => `/assessments/${id(req)}/settings?done=settingsSaved`,
      invalid: (f, req, res) =>
        renderSettings(req, res, { values: f.values, errors: f.errors, notice: null }),
    }),
  );

  // The service checks the role before it reads the form, so a viewer gets 403 whatever they post.
  router.post(
    '/assessments/:id/settings/scoring',
    formRoute({
      form: scoringForm,
      call: (form, req) => updateResultSettings(req.user, id(req), form),
      redirect: (_r, req) => `/assessments/${id(req)}/settings?done=scoringSaved#scoring`,
      invalid: (f, req, res) =>
        renderSettings(req, res, { notice: null }, { errors: f.errors, posted: f.values }),
    }),
  );

  // The organisation on the questionnaire: multipart (the logo), the CSRF token a hidden field.
  router.post(
    '/assessments/:id/settings/branding',
    formRoute({
      form: readBranding,
      call: (input, req) => setBranding(req.user, id(req), input),
      redirect: (_a, req) => `/assessments/${id(req)}/settings?done=brandingSaved#branding`,
      invalid: (f, req, res) =>
        renderSettings(
          req,
          res,
          { notice: null },
          {},
          { errors: brandingErrors(f.errors), posted: f.values },
        ),
    }),
  );

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

  router.post(
    '/assessments/:id/status',
    pageForm({
      form: statusForm,
      call: (input, req) => setStatus(req.user, id(req), input),
      redirect: (a) => `/assessments/${a._id}?done=status-${a.status}`,
    }),
  );

  return router;
}
