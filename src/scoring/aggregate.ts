import { dict, ownValue } from './own-key';
import { addTally, emptyTally, groupStats, isEmptyTally } from './tally';
import type { Axis, AxisResult, GroupFigure, ScoringGroup, ScoringSettings, Tally } from './types';

type WeightSettings = Pick<ScoringSettings, 'weights' | 'minGroupN'>;

/** Default weight 1 for every group, so large groups do not drown out small ones (section 3). */
export function weightOf(groupCode: string, weights: Readonly<Record<string, number>>): number {
  return ownValue(weights, groupCode) ?? 1;
}

/** Section 3: assigned the axis's instrument, positive weight, and at least minGroupN answers. */
export function isIncluded(
  axis: Axis,
  group: ScoringGroup,
  stats: GroupFigure | undefined,
  settings: WeightSettings,
): stats is GroupFigure & { mean: number } {
  if (!group.instruments.includes(axis) || stats === undefined || stats.mean === null) return false;
  return weightOf(group.code, settings.weights) > 0 && stats.n >= settings.minGroupN;
}

/**
 * Axis score X(t,a) (section 3): weighted mean of the included groups' means, each group counting by
 * its weight and not by its size. Null when no group is included.
 */
export function axisScore(
  axis: Axis,
  groups: readonly ScoringGroup[],
  byGroup: Readonly<Record<string, GroupFigure>>,
  settings: WeightSettings,
): number | null {
  let weighted = 0;
  let totalWeight = 0;
  for (const group of groups) {
    const stats = ownValue(byGroup, group.code);
    if (!isIncluded(axis, group, stats, settings)) continue;
    const w = weightOf(group.code, settings.weights);
    weighted += w * stats.mean;
    totalWeight += w;
  }
  return totalWeight > 0 ? weighted / totalWeight : null;
}

/**
 * Everything reported for one (topic, axis). `n`, `dontKnow` and `pooledMean` cover every group with
 * answers, included in the score or not: they describe the data, the score applies the rules.
 */
export function axisResult(
  axis: Axis,
  groups: readonly ScoringGroup[],
  tallies: Readonly<Record<string, Tally>> | undefined,
  settings: WeightSettings,
): AxisResult {
  const codes = reportedGroupCodes(axis, groups, tallies);
  const entries = codes.map(
    (code) => [code, groupStats(ownValue(tallies, code) ?? emptyTally())] as const,
  );
  const total = codes
    .map((code) => ownValue(tallies, code) ?? emptyTally())
    .reduce(addTally, emptyTally());
  const byGroup = dict(entries);
  return {
    score: axisScore(axis, groups, byGroup, settings),
    pooledMean: total.n > 0 ? total.sum / total.n : null,
    n: total.n,
    dontKnow: total.dontKnow,
    byGroup,
  };
}

/**
 * Groups assigned the instrument appear even with no answers (a visible gap, not a missing row);
 * groups with answers appear even when not (or no longer) assigned, so no answer goes unreported.
 */
function reportedGroupCodes(
  axis: Axis,
  groups: readonly ScoringGroup[],
  tallies: Readonly<Record<string, Tally>> | undefined,
): string[] {
  const codes = new Set(groups.filter((g) => g.instruments.includes(axis)).map((g) => g.code));
  for (const [code, t] of Object.entries(tallies ?? {})) if (!isEmptyTally(t)) codes.add(code);
  return [...codes];
}
