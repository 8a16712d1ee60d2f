import { Router } from 'express';
import { getResults } from './results.service';

/** GET /api/v1/assessments/:id/results[?group=code] */
export function resultsApi(): Router {
  const r = Router();
  r.get('/assessments/:id/results', async (req, res) => {
    const group =
      typeof req.query.group === 'string' && req.query.group ? req.query.group : undefined;
    res.json(await getResults(req.user, req.params.id, { group }));
  });
  return r;
}
