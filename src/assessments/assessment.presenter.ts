import type { Assessment } from './assessment.types';

/** The JSON shape of an assessment (api.md): settings carry the group weights. */
export function assessmentJson(a: Assessment) {
  return {
    id: a._id,
    name: a.name,
    reportingYear: a.reportingYear,
    template: a.template,
    status: a.status,
    locked: a.locked,
    settings: { ...a.settings, weights: Object.fromEntries(a.groups.map((g) => [g.code, g.weight])) },
    topics: a.topics,
    groups: a.groups,
    iros: a.iros,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
