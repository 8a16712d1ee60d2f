import { Router } from 'express';
import { getAnalytics } from './analytics.service';
import { setExclusions } from './exclusion.service';

/** GET /api/v1/assessments/:id/analytics, PUT /api/v1/assessments/:id/exclusions */
export function analyticsApi(): Router {
  const r = Router();
  r.get('/assessments/:id/analytics', async (req, res) => {
    const answer = await getAnalytics(req.user, req.params.id);
    if (answer.status === 'done') res.type('application/json').send(answer.json);
    else res.status(202).json({ status: 'computing', progress: answer.progress });
  });
  r.put('/assessments/:id/exclusions', async (req, res) => {
    res.json(await setExclusions(req.user, req.params.id, req.body));
  });
  return r;
}
