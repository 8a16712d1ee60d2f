import { Request, Response, Router } from 'express';
import { AUDIT_ACTIONS } from '../../audit/audit.actions';
import type { AuditPage } from '../../audit/audit.reader';
import { loadAssessment } from '../../assessments/services/assessment.store';
import { translator } from '../../shared/i18n';
import {
  assessmentAudit,
  auditCsvStart,
  auditQuery,
  globalAudit,
  writeAssessmentAuditCsv,
  writeGlobalAuditCsv,
  type AuditQuery,
} from '../services/audit-read.service';
import { CSV_TYPE } from '../../shared/csv';
import { when } from './review.presenter';

const short = (v: unknown) => {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

function auditModel(page: AuditPage, q: AuditQuery, req: Request, base: string) {
  const t = translator(req.lang);
  const keep = new URLSearchParams();
  if (q.action) keep.set('action', q.action);
  if (q.person) keep.set('person', q.person);
  const nextHref = page.next
    ? `${base}?${new URLSearchParams([...keep, ['before', page.next]]).toString()}`
    : null;
  return {
    actions: AUDIT_ACTIONS,
    filter: { action: q.action ?? '', person: q.person ?? '' },
    entries: page.entries.map((e) => ({
      id: e.id,
      at: when(e.at),
      who: 'email' in e.actor ? e.actor.email : t('review.audit.cli'),
      action: e.action,
      assessmentId: e.assessmentId ?? '',
      target: e.target ?? '',
      before: short(e.before),
      after: short(e.after),
    })),
    nextHref,
    firstHref: q.before ? `${base}?${keep.toString()}` : null,
    csvHref: `${base}.csv?${keep.toString()}`,
  };
}

/** /assessments/:id/audit (viewers and above) and /audit (admins), with their CSV downloads. */
export function auditRoutes(): Router {
  const router = Router();
  const page = async (req: Request, res: Response) => {
    const q = auditQuery(req.query);
    const id = String(req.params.id);
    const data = await assessmentAudit(req.user, id, q);
    const a = await loadAssessment(id);
    const t = translator(req.lang);
    res.render('review/audit', {
      title: t('review.audit.title'),
      tab: 'audit',
      assessment: { id: a._id, name: a.name, reportingYear: a.reportingYear },
      global: false,
      ...auditModel(data, q, req, `/assessments/${a._id}/audit`),
    });
  };
  router.get('/assessments/:id/audit', page);
  router.get('/assessments/:id/audit.csv', async (req, res) => {
    const q = auditQuery(req.query);
    await writeAssessmentAuditCsv(req.user, String(req.params.id), q, res, (a) =>
      auditCsvStart(res, a),
    );
  });
  router.get('/audit', async (req, res) => {
    const q = auditQuery(req.query);
    const data = await globalAudit(req.user, q);
    res.render('review/audit', {
      title: translator(req.lang)('review.audit.globalTitle'),
      assessment: null,
      global: true,
      ...auditModel(data, q, req, '/audit'),
    });
  });
  router.get('/audit.csv', async (req, res) => {
    await writeGlobalAuditCsv(req.user, auditQuery(req.query), res, () =>
      res.attachment('audit.csv').type(CSV_TYPE),
    );
  });
  return router;
}
