import { dict } from '../../scoring';
import type { Assessment } from '../model/assessment.types';

/** The sign-off as api.md shows it (the assessment JSON and the results JSON alike). */
export function signOffJson(a: Pick<Assessment, 'signOff'>) {
  const s = a.signOff;
  if (!s) return null;
  return {
    by: s.by,
    at: new Date(s.at).toISOString(),
    meetingDate: s.meetingDate,
    body: s.body,
    minutesRef: s.minutesRef,
    comment: s.comment ?? '',
  };
}

/** The JSON shape of an assessment (api.md): settings carry the group weights. */
export function assessmentJson(a: Assessment) {
  return {
    id: a._id,
    name: a.name,
    reportingYear: a.reportingYear,
    template: a.template,
    status: a.status,
    locked: a.locked,
    // Keyed by group code (which may be `__proto__`): a prototype-less record.
    settings: { ...a.settings, weights: dict(a.groups.map((g) => [g.code, g.weight])) },
    topics: a.topics,
    groups: a.groups,
    iros: a.iros,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    signOff: signOffJson(a),
    previousAssessmentId: a.previousAssessmentId ?? null,
    topicMap: a.topicMap ?? [],
  };
}
