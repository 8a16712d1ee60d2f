import { Router } from 'express';
import {
  createAssessment,
  getAssessment,
  listAssessments,
  setStatus,
  updateAssessment,
} from '../services/assessment.service';
import { addGroup } from '../services/group.service';
import { addTopic } from '../services/topic.service';
import { assessmentJson } from './assessment.presenter';

/** /api/v1/assessments (bearer-authenticated; roles are checked in the services). */
export function assessmentApi(): Router {
  const r = Router();
  r.post('/assessments', async (req, res) => {
    res.status(201).json(assessmentJson(await createAssessment(req.user, req.body)));
  });
  r.get('/assessments', async (req, res) => {
    res.json((await listAssessments(req.user)).map(assessmentJson));
  });
  r.get('/assessments/:id', async (req, res) => {
    res.json(assessmentJson(await getAssessment(req.user, req.params.id)));
  });
  r.patch('/assessments/:id', async (req, res) => {
    res.json(assessmentJson(await updateAssessment(req.user, req.params.id, req.body)));
  });
  r.post('/assessments/:id/topics', async (req, res) => {
    res.status(201).json(await addTopic(req.user, req.params.id, req.body));
  });
  r.post('/assessments/:id/groups', async (req, res) => {
    res.status(201).json(await addGroup(req.user, req.params.id, req.body));
  });
  r.post('/assessments/:id/status', async (req, res) => {
    res.json(assessmentJson(await setStatus(req.user, req.params.id, req.body)));
  });
  return r;
}
