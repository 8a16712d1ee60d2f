import { Router } from 'express';
import { assessmentJson } from '../../assessments/api/assessment.presenter';
import {
  assessmentAudit,
  auditCsvStart,
  auditQuery,
  globalAudit,
  writeAssessmentAuditCsv,
  writeGlobalAuditCsv,
} from '../services/audit-read.service';
import { CSV_TYPE } from '../../shared/csv';
import { appendixApi } from '../appendix/appendix.routes';
import { copyAssessment, setTopicMap } from '../services/copy.service';
import { deleteOverride, keepAsComputed, setOverride } from '../services/override.service';
import { reviewQueue } from '../services/queue.service';
import { reopen, signOff } from '../services/signoff.service';

/** /api/v1: overrides, review decisions, sign-off, reopen, copy, the audit log (roles in services). */
export function reviewApi(): Router {
  const r = Router();
  r.use(appendixApi());
  r.put('/assessments/:id/overrides/:topic', async (req, res) => {
    res.json(await setOverride(req.user, req.params.id, req.params.topic, req.body));
  });
  r.delete('/assessments/:id/overrides/:topic', async (req, res) => {
    await deleteOverride(req.user, req.params.id, req.params.topic, req.body);
    res.status(204).end();
  });
  r.put('/assessments/:id/decisions/:topic', async (req, res) => {
    await keepAsComputed(req.user, req.params.id, req.params.topic, req.body);
    res.status(204).end();
  });
  r.get('/assessments/:id/review', async (req, res) => {
    res.json(await reviewQueue(req.user, req.params.id));
  });
  r.post('/assessments/:id/signoff', async (req, res) => {
    res.json(assessmentJson(await signOff(req.user, req.params.id, req.body)));
  });
  r.post('/assessments/:id/reopen', async (req, res) => {
    res.json(assessmentJson(await reopen(req.user, req.params.id, req.body)));
  });
  r.post('/assessments/:id/copy', async (req, res) => {
    res.status(201).json(assessmentJson(await copyAssessment(req.user, req.params.id, req.body)));
  });
  r.put('/assessments/:id/topic-map', async (req, res) => {
    res.json(assessmentJson(await setTopicMap(req.user, req.params.id, req.body)));
  });
  r.get('/assessments/:id/audit', async (req, res) => {
    res.json(await assessmentAudit(req.user, req.params.id, auditQuery(req.query)));
  });
  r.get('/assessments/:id/audit.csv', async (req, res) => {
    const q = auditQuery(req.query);
    await writeAssessmentAuditCsv(req.user, req.params.id, q, res, (a) => auditCsvStart(res, a));
  });
  r.get('/audit', async (req, res) => {
    res.json(await globalAudit(req.user, auditQuery(req.query)));
  });
  r.get('/audit.csv', async (req, res) => {
    await writeGlobalAuditCsv(req.user, auditQuery(req.query), res, () =>
      res.attachment('audit.csv').type(CSV_TYPE),
    );
  });
  return r;
}
