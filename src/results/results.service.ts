import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { signOffJson } from '../assessments/api/assessment.presenter';
import { loadAssessment } from '../assessments/services/assessment.store';
import type { Assessment } from '../assessments/model/assessment.types';
import {
  computeTopicResults,
  dict,
  METHOD_ID,
  ownValue,
  resolveSettings,
  type Override,
  type TopicResult,
} from '../scoring';
import { AppError } from '../shared/errors';
import { getStats } from './tallies/tally.service';
import { withExclusions } from './tallies/exclusion';
import type { StatsDoc } from './tallies/group-stats.model';
import { loadSnapshotText } from './signoff-snapshot';
import { compareYears, type DroppedTopic, type PreviousFigures } from './year-over-year';

/** A topic of the results: the scoring figures, and last year's when there is a previous assessment. */
export type ResultTopic = TopicResult & {
  previous?: PreviousFigures | null;
  rankChange?: number | null;
};

export interface Results {
  assessmentId: string;
  method: string;
  computedAt: string;
  /** when the last response reached the tallies */
  dataUpdatedAt: string | null;
  group: string | null;
  settings: Assessment['settings'] & { weights: Record<string, number> };
  responses: { total: number; byGroup: Record<string, number> };
  topics: ResultTopic[];
  signOff: ReturnType<typeof signOffJson>;
  previous?: { assessmentId: string; reportingYear: number };
  droppedTopics?: DroppedTopic[];
  /** flag classes left out of the scores (analytics issue; absent in older snapshots) */
  excluded?: ('straightLining' | 'speeder')[];
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
  // Signed off: the approved snapshot, exactly as approved (whole-assessment results only).
  if (a.status === 'approved' && a.signOff?.snapshotId && !opts.group) {
    const text = await loadSnapshotText(a.signOff.snapshotId);
    if (text) return { ...(JSON.parse(text) as Results), signOff: signOffJson(a) };
  }
  return liveResults(a, opts);
}

/** Results computed now from the tallies, compared with the previous assessment when there is one. */
export async function liveResults(a: Assessment, opts: ResultsOptions = {}): Promise<Results> {
  const stats = await getStats(
    a._id,
    a.groups.map((g) => g.code),
  );
  const results = resultsFrom(a, stats, opts);
  if (!a.previousAssessmentId || opts.group) return results;
  const prev = await previousResults(a.previousAssessmentId);
  if (!prev) return results;
  const { topics, droppedTopics } = compareYears(a, results.topics, prev.topics);
  return {
    ...results,
    topics,
    previous: { assessmentId: prev.assessmentId, reportingYear: prev.reportingYear },
    droppedTopics,
  };
}

/** The previous assessment's results: its sign-off snapshot if it has one, else its live results. */
async function previousResults(
  id: string,
): Promise<{ assessmentId: string; reportingYear: number; topics: ResultTopic[] } | null> {
  const p = await loadAssessment(id).catch(() => null);
  if (!p) return null;
  const text = p.signOff?.snapshotId ? await loadSnapshotText(p.signOff.snapshotId) : null;
  const topics = text
    ? (JSON.parse(text) as Results).topics
    : resultsFrom(
        p,
        await getStats(
          p._id,
          p.groups.map((g) => g.code),
        ),
      ).topics;
  return { assessmentId: p._id, reportingYear: p.reportingYear, topics };
}

/** The stored overrides as scoring reads them: a prototype-less record by topic code. */
export function overridesOf(a: Pick<Assessment, 'overrides'>): Record<string, Override> {
  return dict(
    (a.overrides ?? []).map((o) => [
      o.topic,
      { material: o.material, rationale: o.rationale, by: o.by, at: new Date(o.at).toISOString() },
    ]),
  );
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
  const overrides = overridesOf(a);
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
    signOff: signOffJson(a),
    excluded: stats.quality?.excluded ?? [],
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
