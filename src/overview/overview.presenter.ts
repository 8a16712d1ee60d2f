import type { Assessment, Status } from '../assessments/model/assessment.types';
import { STATUS_TRANSITIONS } from '../assessments/model/lookups';
import { localized, type Lang } from '../shared/i18n';

// Pure functions from an assessment and its counters to what the list and the overview show.

/** The confirmation wording depends on where the assessment comes from: opening vs reopening. */
export const transitionKey = (from: Status, to: 'open' | 'closed') =>
  to === 'closed' ? 'close' : from === 'closed' ? 'reopen' : 'open';

/** The status changes offered from `status`, each with the wording of its button. */
export const transitionRows = (status: Status) =>
  STATUS_TRANSITIONS[status].map((to) => ({ to, key: transitionKey(status, to) }));

/** When the last counted response arrived, in UTC to the minute (`2025-03-01 09:30`); null before the first. */
export const dataUpdatedAt = (at: Date) =>
  +at > 0 ? new Date(at).toISOString().slice(0, 16).replace('T', ' ') : null;

export function listRows(list: Assessment[], totals: number[]) {
  return list.map((a, i) => ({
    id: a._id,
    name: a.name,
    reportingYear: a.reportingYear,
    status: a.status,
    template: a.template,
    responses: totals[i] ?? 0,
  }));
}

export function settingsSummary(a: Assessment, lang: Lang) {
  const s = a.settings;
  return {
    thresholds: s.thresholds,
    rule: s.rule,
    rankingMethod: s.rankingMethod,
    borderlineBand: s.borderlineBand,
    minGroupN: s.minGroupN,
    minReportN: s.minReportN,
    modes: { impact: s.instruments.impact.mode, financial: s.instruments.financial.mode },
    languages: s.languages,
    weights: a.groups.map((g) => ({
      code: g.code,
      name: localized(g.name, lang).text,
      weight: g.weight,
    })),
  };
}
