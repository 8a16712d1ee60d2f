import {
  computeTopicResults,
  dict,
  isIncluded,
  METHOD_ID,
  ownValue,
  type Axis,
  type TopicResult,
} from '../scoring';
import { kendallW, spearman, type KendallW } from './agreement';
import { bootstrap, REPLICATES } from './bootstrap';
import type { Dataset } from './dataset';
import { createRng } from './random';
import {
  leaveOneGroupOut,
  methodSensitivity,
  scoringInput,
  type LeaveOneOut,
  type MethodSensitivity,
} from './sensitivity';
import { meanInterval } from './stats';
import type { AnalyticsSetup, FlagClass } from './types';
import { weightSensitivity, WEIGHT_DRAWS } from './weights';

export interface GroupInterval {
  mean: number | null;
  n: number;
  sd: number | null;
  ci95: [number, number] | null;
}

export interface AxisAnalytics {
  score: number | null;
  ci95: [number, number] | null;
  byGroup: Record<string, GroupInterval>;
}

export interface TopicAnalytics {
  code: string;
  impact: AxisAnalytics;
  financial: AxisAnalytics;
  pMaterial: number;
  uncertain: boolean;
  rank: number;
  rankRange90: [number, number];
  pMaterialUnderWeights: number;
  material: boolean;
  classification: TopicResult['classification'];
}

export interface Quality {
  straightLining: number;
  speeder: number;
  byGroup: Record<string, { straightLining: number; speeder: number }>;
  excluded: FlagClass[];
}

export interface Analytics {
  assessmentId: string;
  method: string;
  computedAt: string;
  dataVersion: string;
  bootstrap: { replicates: number; seed: number };
  weightDraws: number;
  topics: TopicAnalytics[];
  agreement: KendallW & {
    axis: 'impact';
    groups: string[];
    spearman: Record<string, Record<string, number | null>>;
  };
  methodSensitivity: MethodSensitivity;
  leaveOneGroupOut: LeaveOneOut[];
  quality: Quality;
}

export interface ComputeOptions {
  assessmentId: string;
  dataVersion: string;
  computedAt: string;
  seed: number;
  quality: Quality;
  replicates?: number;
  draws?: number;
}

/**
 * The whole analytics of methodology sections 6–8 as one pure computation, a generator yielding the
 * share done (0..1) so a job can hand the event loop back between slices. Same dataset, options and
 * seed: the same output, byte for byte. The bootstrap and the weight draws each take their own
 * stream from the seed, so changing one never shifts the other.
 */
export function* computeAnalytics(
  setup: AnalyticsSetup,
  ds: Dataset,
  o: ComputeOptions,
): Generator<number, Analytics> {
  const replicates = o.replicates ?? REPLICATES;
  const draws = o.draws ?? WEIGHT_DRAWS;
  const baseline = computeTopicResults(scoringInput(setup, ds.tallies));
  const boot = yield* scaled(bootstrap(ds, setup, createRng(o.seed), replicates), 0, 0.8);
  const weights = yield* scaled(
    weightSensitivity(ds.tallies, setup, createRng(o.seed + 1), draws),
    0.8,
    0.97,
  );
  const index = new Map(setup.topics.map((t, i) => [t.code, i]));
  const topics = baseline.map((t): TopicAnalytics => {
    const i = index.get(t.code)!;
    const b = boot[i]!;
    const w = weights[i]!;
    return {
      code: t.code,
      impact: axisAnalytics(t, 'impact', b.impact),
      financial: axisAnalytics(t, 'financial', b.financial),
      pMaterial: b.pMaterial,
      uncertain: b.pMaterial > 0.1 && b.pMaterial < 0.9,
      rank: t.rank,
      rankRange90: w.rankRange90,
      pMaterialUnderWeights: w.pMaterialUnderWeights,
      material: t.computedMaterial,
      classification: t.classification,
    };
  });
  return {
    assessmentId: o.assessmentId,
    method: METHOD_ID,
    computedAt: o.computedAt,
    dataVersion: o.dataVersion,
    bootstrap: { replicates, seed: o.seed },
    weightDraws: draws,
    topics,
    agreement: agreement(setup, baseline),
    methodSensitivity: methodSensitivity(setup, ds, baseline),
    leaveOneGroupOut: leaveOneGroupOut(setup, ds.tallies, baseline),
    quality: o.quality,
  };
}

/** Runs a computation to its end without yielding (tests, the bench, small inputs). */
export function runToEnd<T>(g: Generator<number, T>): T {
  for (;;) {
    const step = g.next();
    if (step.done) return step.value;
  }
}

function* scaled<T>(g: Generator<number, T>, from: number, to: number): Generator<number, T> {
  for (;;) {
    const step = g.next();
    if (step.done) return step.value;
    yield from + step.value * (to - from);
  }
}

function axisAnalytics(t: TopicResult, axis: Axis, ci95: [number, number] | null): AxisAnalytics {
  const a = t[axis];
  const byGroup = dict(
    Object.entries(a.byGroup).map(([code, g]): [string, GroupInterval] => [
      code,
      { mean: g.mean, n: g.n, sd: g.sd, ci95: meanInterval(g.mean, g.sd, g.n) },
    ]),
  );
  return { score: a.score, ci95: a.score === null ? null : ci95, byGroup };
}

/**
 * Agreement (section 6, api.md): the included groups that have an impact mean for every topic each
 * rank the topics by those means; Kendall's W (tie-corrected) over them and Spearman's ρ per pair.
 */
function agreement(setup: AnalyticsSetup, baseline: TopicResult[]): Analytics['agreement'] {
  const groups = setup.groups.filter((g) =>
    baseline.every((t) =>
      isIncluded('impact', g, ownValue(t.impact.byGroup, g.code), setup.settings),
    ),
  );
  const rows = groups.map((g) => baseline.map((t) => ownValue(t.impact.byGroup, g.code)!.mean!));
  const w = groups.length >= 2 && baseline.length >= 2 ? kendallW(rows) : kendallW([]);
  const rho = dict<Record<string, number | null>>();
  groups.forEach((g, i) => {
    rho[g.code] = dict(groups.map((h, j) => [h.code, spearman(rows[i]!, rows[j]!)] as const));
  });
  return {
    axis: 'impact',
    groups: groups.map((g) => g.code),
    ...w,
    spearman: rho,
  };
}
