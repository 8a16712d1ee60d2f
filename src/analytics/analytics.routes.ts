import { Router } from 'express';
import { z } from 'zod';
import { can } from '../auth/roles';
import { loadAssessment } from '../assessments/services/assessment.store';
import { field, formRoute } from '../shared/form';
import { translator } from '../shared/i18n';
import { analyticsPage } from './analytics.presenter';
import { getAnalytics } from './analytics.service';
import type { Analytics } from './compute';
import { exclusionsOf, setExclusions } from './exclusion.service';
// Registers the matrix's whiskers and uncertain marks (see matrix-extras.ts).
import './matrix-extras';
// Registers P(material) and rank ranges for the rankings page (see rankings-extras.ts).
import './rankings-extras';

const exclusionForm = z.object({ exclude: field.list });

/** The Analytics tab (session auth; roles in services). */
export function analyticsRoutes(): Router {
  const router = Router();

  router.get('/assessments/:id/analytics', async (req, res) => {
    const a = await loadAssessment(req.params.id);
    const answer = await getAnalytics(req.user, a);
    const analytics = answer.status === 'done' ? (JSON.parse(answer.json) as Analytics) : null;
    res.render(
      'analytics/analytics',
      analyticsPage({
        a,
        lang: req.lang,
        t: translator(req.lang),
        analytics,
        progress: answer.status === 'computing' ? answer.progress : 1,
        canWrite: can(req.user, 'write'),
        saved: req.query.saved === '1',
        excluded: await exclusionsOf(a._id),
      }),
    );
  });

  router.post(
    '/assessments/:id/exclusions',
    formRoute({
      form: exclusionForm,
      lists: ['exclude'],
      call: (form, req) => setExclusions(req.user, String(req.params.id), form),
      redirect: (_r, req) => `/assessments/${String(req.params.id)}/analytics?saved=1#quality`,
    }),
  );

  return router;
}
