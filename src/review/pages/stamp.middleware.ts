import type { RequestHandler } from 'express';
import { stampOf } from '../../assessments/model/lookups';
import { loadAssessment, withSharedReads } from '../../assessments/services/assessment.store';
import { translator } from '../../shared/i18n';

/**
 * Every page of an assessment (`/assessments/:id/…`) carries the provisional or signed-off stamp:
 * set here once for all of them and shown by views/review/_stamp.ejs from the tabs. GET pages
 * only (a refused POST re-renders without it).
 */
export function reviewStamp(): RequestHandler {
  return (req, res, next) => {
    const id = String(req.params.id ?? '');
    if (req.method !== 'GET' || !/^[a-f0-9]{24}$/.test(id)) return next();
    // The page's own read of the assessment then shares this one (one read per request).
    withSharedReads(() => {
      loadAssessment(id)
        .then((a) => (res.locals.reviewStamp = stampOf(a, translator(req.lang))))
        .catch(() => undefined)
        .finally(next);
    });
  };
}
