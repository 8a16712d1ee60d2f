import {
  axisResult,
  axisScore,
  classify,
  dict,
  rankTopics,
  weightOf,
  type AxisResult,
  type ScoringGroup,
} from '../scoring';
import type { Tallies } from './dataset';
import type { Rng } from './random';
import type { AnalyticsSetup } from './types';

export const WEIGHT_DRAWS = 2000;

export interface TopicWeightSensitivity {
  rankRange90: [number, number];
  pMaterialUnderWeights: number;
}

/**
 * α of the Dirichlet of methodology section 6: proportional to the configured weights and summing
 * to the number of groups with a weight above 0; a group of weight 0 stays at 0.
 */
export function dirichletAlpha(setup: AnalyticsSetup): Map<string, number> {
  const positive = setup.groups.filter((g) => weightOf(g.code, setup.settings.weights) > 0);
  const total = positive.reduce((s, g) => s + weightOf(g.code, setup.settings.weights), 0);
  return new Map(
    setup.groups.map((g) => {
      const w = weightOf(g.code, setup.settings.weights);
      return [g.code, w > 0 ? (w * positive.length) / total : 0];
    }),
  );
}

/** One Dirichlet draw: independent Gamma(α, 1) variates, normalised to sum 1. */
export function drawDirichlet(alpha: Map<string, number>, rng: Rng): Record<string, number> {
  const out = dict<number>();
  let sum = 0;
  for (const [code, a] of alpha) {
    const g = a > 0 ? rng.gamma(a) : 0;
    out[code] = g;
    sum += g;
  }
  for (const code of Object.keys(out)) out[code] = sum > 0 ? out[code]! / sum : 0;
  return out;
}

/** Inverse empirical CDF (Hyndman & Fan type 1): a rank that occurred, never a fraction. */
function rankPercentile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Weight sensitivity (section 6): the group means stay as they are, the group weights are drawn
 * from the Dirichlet, and each draw scores, classifies and ranks the topics with the scoring core.
 * Yields the share done between slices of draws.
 */
export function* weightSensitivity(
  tallies: Tallies,
  setup: AnalyticsSetup,
  rng: Rng,
  draws = WEIGHT_DRAWS,
): Generator<number, TopicWeightSensitivity[]> {
  const groups: ScoringGroup[] = setup.groups.map((g) => ({
    code: g.code,
    instruments: g.instruments,
  }));
  const s = setup.settings;
  const axes = setup.topics.map((t) => {
    const byAxis = tallies[t.code];
    return {
      impact: axisResult('impact', groups, byAxis?.impact, s),
      financial: axisResult('financial', groups, byAxis?.financial, s),
    };
  });
  const alpha = dirichletAlpha(setup);
  const ranks = setup.topics.map(() => new Float64Array(draws));
  const material = new Float64Array(setup.topics.length);
  const slice = Math.max(1, Math.floor(draws / 20));
  for (let d = 0; d < draws; d++) {
    const weights = drawDirichlet(alpha, rng);
    const drawn = { weights, minGroupN: s.minGroupN };
    const score = (a: AxisResult, axis: 'impact' | 'financial') =>
      axisScore(axis, groups, a.byGroup, drawn);
    const candidates = setup.topics.map((t, ti) => ({
      code: t.code,
      impact: score(axes[ti]!.impact, 'impact'),
      financial: score(axes[ti]!.financial, 'financial'),
      ti,
    }));
    for (const c of rankTopics(candidates, s)) {
      ranks[c.ti]![d] = c.rank;
      if (classify(c.impact, c.financial, s).material) material[c.ti]! += 1;
    }
    if ((d + 1) % slice === 0 && d + 1 < draws) yield (d + 1) / draws;
  }
  return setup.topics.map((_, ti) => {
    const sorted = ranks[ti]!.sort();
    return {
      rankRange90: [rankPercentile(sorted, 0.05), rankPercentile(sorted, 0.95)],
      pMaterialUnderWeights: material[ti]! / draws,
    };
  });
}
