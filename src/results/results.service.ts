import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { loadAssessment } from '../assessments/services/assessment.store';
import type { Assessment } from '../assessments/model/assessment.types';
import {
  computeTopicResults,
  dict,
  METHOD_ID,
  ownValue,
  resolveSettings,
  type TopicResult,
} from '../scoring';
import { AppError } from '../shared/errors';
import { getStats } from './tallies/tally.service';
import { withExclusions } from './tallies/exclusion';
import type { StatsDoc } from './tallies/group-stats.model';

export interface Results {
  assessmentId: string;
  method: string;
  computedAt: string;
  /** when the last response reached the tallies */
  dataUpdatedAt: string | null;
  group: string | null;
  settings: Assessment['settings'] & { weights: Record<string, number> };
  responses: { total: number; byGroup: Record<string, number> };
  topics: TopicResult[];
}

export interface ResultsOptions {
  /** restrict every figure to one stakeholder group (the matrix filter) */
  group?: string;
}

/**
 * Results from the pre-aggregated tallies: primary-key reads of the assessment and of one document
 * per group, then pure arithmetic whose cost depends on topics × groups, never on responses. A
 * caller that has just read the assessment (a results page, an export) passes it instead of its
 * id, so each request reads it once.
 */
export async function getResults(
  actor: SessionUser | undefined,
  assessment: string | Assessment,
  opts: ResultsOptions = {},
): Promise<Results> {
  assertCan(actor, 'read');
  const a = typeof assessment === 'string' ? await loadAssessment(assessment) : assessment;
  const stats = await getStats(
    a._id,
    a.groups.map((g) => g.code),
  );
  return resultsFrom(a, stats, opts);
}

export function resultsFrom(a: Assessment, raw: StatsDoc, opts: ResultsOptions = {}): Results {
  // Excluded flag classes are subtracted from the tallies (analytics issue): never a scan.
  const stats = withExclusions(raw);
  const group = opts.group ?? null;
  if (group && !a.groups.some((g) => g.code === group))
    throw new AppError(404, 'not_found', 'assess.noSuchGroup');
  // Every record keyed by a group or topic code is prototype-less and read by own key only: a
  // code may be `__proto__` or `constructor` (see scoring/own-key.ts).
  const weights = dict(a.groups.map((g) => [g.code, g.weight]));
  const settings = resolveSettings({ ...a.settings, weights });
  const groups = a.groups
    .filter((g) => !group || g.code === group)
    .map((g) => ({ code: g.code, instruments: g.instruments }));
  const tallies = group ? onlyGroup(stats.tallies, group) : stats.tallies;
  const overrides = (a as Assessment & { overrides?: Record<string, never> }).overrides;
  const topics = computeTopicResults({
    topics: a.topics.map((t) => ({ code: t.code, name: t.name, category: t.category })),
    groups,
    tallies,
    settings,
    overrides,
  });
  const byGroup = group
    ? dict([[group, ownValue(stats.responses.byGroup, group) ?? 0]])
    : dict(Object.entries(stats.responses.byGroup));
  return {
    assessmentId: a._id,
    method: METHOD_ID,
    computedAt: new Date().toISOString(),
    dataUpdatedAt:
      stats.updatedAt && +stats.updatedAt > 0 ? new Date(stats.updatedAt).toISOString() : null,
    group,
    settings: { ...a.settings, weights },
    responses: { total: group ? (ownValue(byGroup, group) ?? 0) : stats.responses.total, byGroup },
    topics,
  };
}

function onlyGroup(tallies: StatsDoc['tallies'], group: string): StatsDoc['tallies'] {
  const out: StatsDoc['tallies'] = dict();
  for (const [topic, axes] of Object.entries(tallies ?? {})) {
    const kept: StatsDoc['tallies'][string] = (out[topic] = dict());
    for (const [axis, byGroup] of Object.entries(axes)) {
      const t = ownValue(byGroup, group);
      if (t) kept[axis] = dict([[group, t]]);
    }
  }
  return out;
}
