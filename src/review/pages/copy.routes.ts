import { Request, Response, Router } from 'express';
import { loadAssessment } from '../../assessments/services/assessment.store';
import { formRoute, type FormFailure } from '../../shared/form';
import { translator } from '../../shared/i18n';
import { copyAssessment, setTopicMap } from '../services/copy.service';
import { copyForm, parseMapText, topicMapForm } from './review.forms';

/** /assessments/:id/copy: copy for next year, and (on a copy) the mapping of merged or split topics. */
export function copyRoutes(): Router {
  const router = Router();
  const render = async (req: Request, res: Response, failure?: FormFailure<unknown>, form = '') => {
    const a = await loadAssessment(String(req.params.id));
    const t = translator(req.lang);
    const values = failure?.values ?? {};
    res.render('review/copy', {
      title: t('review.copyPage.title'),
      tab: '',
      assessment: { id: a._id, name: a.name, reportingYear: a.reportingYear },
      hasPrevious: Boolean(a.previousAssessmentId),
      values: {
        name: form === 'copy' ? values.name : `${a.name} (${a.reportingYear + 1})`,
        reportingYear: form === 'copy' ? values.reportingYear : String(a.reportingYear + 1),
        map:
          form === 'map'
            ? values.map
            : (a.topicMap ?? []).map((m) => `${m.code} = ${m.previous.join(', ')}`).join('\n'),
      },
      errors: failure?.errors ?? {},
      form,
      notice: req.query.saved ? t('review.page.saved') : null,
    });
  };
  router.get('/assessments/:id/copy', (req, res) => render(req, res));
  router.post(
    '/assessments/:id/copy',
    formRoute({
      form: copyForm,
      call: (f, req) => copyAssessment(req.user, String(req.params.id), f),
      redirect: (created) => `/assessments/${created._id}`,
      invalid: (failure, req, res) => render(req, res, failure, 'copy'),
    }),
  );
  router.post(
    '/assessments/:id/topic-map',
    formRoute({
      form: topicMapForm,
      call: (f, req) => setTopicMap(req.user, String(req.params.id), parseMapText(f.map)),
      redirect: (_r, req) => `/assessments/${String(req.params.id)}/copy?saved=1`,
      invalid: (failure, req, res) => render(req, res, failure, 'map'),
    }),
  );
  return router;
}
