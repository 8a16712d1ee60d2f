import {
  computeTopicResults,
  ownValue,
  rankTopics,
  weightOf,
  type Classification,
  type RankingMethod,
  type ScoringInput,
  type TopicResult,
} from '../scoring';
import type { Dataset, Tallies } from './dataset';
import type { AnalyticsSetup } from './types';

export const RANKING_METHODS: RankingMethod[] = ['exceedance', 'sum', 'euclidean', 'product'];

export interface MethodFlip {
  code: string;
  under: string;
  material: boolean;
}

export interface MethodSensitivity {
  /** what was tried, e.g. "severity:max", "ranking:sum" */
  evaluated: string[];
  /** N of the top-N comparison of ranking methods: the number of topics material now */
  topN: number;
  flips: MethodFlip[];
}

export interface LeaveOneOut {
  group: string;
  flips: { code: string; classification: Classification }[];
}

export function scoringInput(setup: AnalyticsSetup, tallies: Tallies): ScoringInput {
  return {
    topics: setup.topics.map((t) => ({ code: t.code, name: t.name, category: t.category })),
    groups: setup.groups.map((g) => ({ code: g.code, instruments: g.instruments })),
    tallies,
    settings: setup.settings,
  };
}

/**
 * Method sensitivity (section 6). Severity formulas change the respondent scores, hence materiality:
 * a flip is a topic whose computed materiality differs, `material` being its value under the other
 * formula. Ranking methods never change materiality, so for them a flip is a topic entering or
 * leaving the top N (N = the topics material now), `material` saying whether it is in that top N.
 */
export function methodSensitivity(
  setup: AnalyticsSetup,
  ds: Dataset,
  baseline: TopicResult[],
): MethodSensitivity {
  const evaluated: string[] = [];
  const flips: MethodFlip[] = [];
  const base = new Map(baseline.map((t) => [t.code, t]));
  for (const [formula, tallies] of ds.severityTallies) {
    const under = `severity:${formula}`;
    evaluated.push(under);
    for (const t of computeTopicResults(scoringInput(setup, tallies))) {
      const before = base.get(t.code);
      if (before && before.computedMaterial !== t.computedMaterial)
        flips.push({ code: t.code, under, material: t.computedMaterial });
    }
  }
  const topN = baseline.filter((t) => t.computedMaterial).length;
  const inTop = new Set(baseline.filter((t) => t.rank <= topN).map((t) => t.code));
  const candidates = baseline.map((t) => ({
    code: t.code,
    impact: t.impact.score,
    financial: t.financial.score,
  }));
  for (const method of RANKING_METHODS) {
    if (method === setup.settings.rankingMethod) continue;
    const under = `ranking:${method}`;
    evaluated.push(under);
    const ranked = rankTopics(candidates, { ...setup.settings, rankingMethod: method });
    for (const t of ranked) {
      const top = t.rank <= topN;
      if (top !== inTop.has(t.code)) flips.push({ code: t.code, under, material: top });
    }
  }
  flips.sort((a, b) => cmp(a.under, b.under) || cmp(a.code, b.code));
  return { evaluated, topN, flips };
}

/**
 * Leave-one-group-out (section 6): each group that counts in some score (weight above 0 and
 * answers) is left out in turn; the topics whose classification changes are listed.
 */
export function leaveOneGroupOut(
  setup: AnalyticsSetup,
  tallies: Tallies,
  baseline: TopicResult[],
): LeaveOneOut[] {
  const base = new Map(baseline.map((t) => [t.code, t.classification]));
  const input = scoringInput(setup, tallies);
  return setup.groups
    .filter((g) => weightOf(g.code, setup.settings.weights) > 0 && hasAnswers(tallies, g.code))
    .map((g) => {
      const rest = computeTopicResults({
        ...input,
        groups: input.groups.filter((x) => x.code !== g.code),
      });
      const flips = rest
        .filter((t) => base.get(t.code) !== t.classification)
        .map((t) => ({ code: t.code, classification: t.classification }))
        .sort((a, b) => cmp(a.code, b.code));
      return { group: g.code, flips };
    });
}

function hasAnswers(tallies: Tallies, group: string): boolean {
  return Object.values(tallies).some((byAxis) =>
    Object.values(byAxis).some((byGroup) => (ownValue(byGroup, group)?.n ?? 0) > 0),
  );
}

const cmp = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);
