import { Request, Response, Router } from 'express';
import { peekAnalytics } from '../../analytics/analytics.service';
import { can } from '../../auth/roles';
import { loadAssessment } from '../../assessments/services/assessment.store';
import { getResults } from '../../results/results.service';
import { formRoute, type FormFailure } from '../../shared/form';
import { translator } from '../../shared/i18n';
import { deleteOverride, keepAsComputed, setOverride } from '../services/override.service';
import { queueOf } from '../services/queue.service';
import { reopen, signOff } from '../services/signoff.service';
import { overrideForm, rationaleForm, reopenForm, signOffForm } from './review.forms';
import { reviewPage } from './review.presenter';

const CONFLICTS = { review_incomplete: 409, four_eyes: 409, invalid_status: 409 } as const;
const base = (req: Request) => `/assessments/${String(req.params.id)}/review`;

/** Staff page /assessments/:id/review: overrides, borderline decisions, sign-off and reopening. */
export function reviewRoutes(): Router {
  const router = Router();

  const render = async (
    req: Request,
    res: Response,
    extra: { failure?: FormFailure<unknown>; form?: string } = {},
  ) => {
    const t = translator(req.lang);
    const a = await loadAssessment(String(req.params.id));
    const [results, analytics] = await Promise.all([getResults(req.user, a), peekAnalytics(a)]);
    const errors = extra.failure?.errors ?? {};
    if (extra.failure && !Object.keys(errors).length)
      errors[`${extra.form}-form`] = extra.failure.error.message;
    res.render(
      'review/review',
      reviewPage({
        a,
        results,
        queue: queueOf(a, results, req.user!, analytics),
        lang: req.lang,
        t,
        canWrite: can(req.user, 'write'),
        errors,
        values: extra.failure?.values,
        form: extra.form,
        notice: req.query.saved ? t('review.page.saved') : null,
      }),
    );
  };

  router.get('/assessments/:id/review', (req, res) => render(req, res));

  const post = <T>(
    path: string,
    form: Parameters<typeof formRoute<T, unknown>>[0]['form'],
    call: (input: T, req: Request) => Promise<unknown>,
    formName: (req: Request) => string,
  ) =>
    router.post(
      path,
      formRoute<T, unknown>({
        form,
        call,
        conflicts: CONFLICTS,
        redirect: (_r, req) => `${base(req)}?saved=1#${formName(req)}`,
        invalid: (failure, req, res) => render(req, res, { failure, form: formName(req) }),
      }),
    );

  const topic = (req: Request) => String(req.params.topic);
  post(
    '/assessments/:id/review/overrides/:topic',
    overrideForm,
    (f, req) => setOverride(req.user, String(req.params.id), topic(req), f),
    (req) => `override-${topic(req)}`,
  );
  post(
    '/assessments/:id/review/overrides/:topic/delete',
    rationaleForm,
    (f, req) => deleteOverride(req.user, String(req.params.id), topic(req), f),
    (req) => `override-${topic(req)}`,
  );
  post(
    '/assessments/:id/review/decisions/:topic',
    rationaleForm,
    (f, req) => keepAsComputed(req.user, String(req.params.id), topic(req), f),
    (req) => `keep-${topic(req)}`,
  );
  post(
    '/assessments/:id/review/signoff',
    signOffForm,
    (f, req) =>
      signOff(req.user, String(req.params.id), {
        meetingDate: f.meetingDate,
        body: f.body,
        minutesRef: f.minutesRef,
        ...(f.comment.trim() ? { comment: f.comment } : {}),
      }),
    () => 'signoff',
  );
  post(
    '/assessments/:id/review/reopen',
    reopenForm,
    (f, req) => reopen(req.user, String(req.params.id), f),
    () => 'reopen',
  );
  return router;
}
