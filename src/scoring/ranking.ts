import type { ScoringSettings } from './types';

type PrioritySettings = Pick<ScoringSettings, 'thresholds' | 'rule' | 'rankingMethod'>;

/** Priority P of section 5. A null axis counts as 0, so an unanswered axis never raises a topic. */
export function priority(I: number | null, F: number | null, settings: PrioritySettings): number {
  const i = I ?? 0;
  const f = F ?? 0;
  switch (settings.rankingMethod) {
    case 'exceedance':
      return exceedance(i, f, settings);
    case 'sum':
      return i + f;
    case 'euclidean':
      return distance(i, f);
    case 'product':
      return i * f;
  }
}

/**
 * Scaled by the thresholds so that, under either rule, P ≥ 1 exactly when the topic is material
 * (up to the SCORE_EPSILON slack of the materiality test).
 */
function exceedance(i: number, f: number, settings: PrioritySettings): number {
  const ri = i / settings.thresholds.impact;
  const rf = f / settings.thresholds.financial;
  return settings.rule === 'both' ? Math.min(ri, rf) : Math.max(ri, rf);
}

/** Distance from the matrix origin; also the first tie-break. */
export function distance(i: number, f: number): number {
  return Math.sqrt(i * i + f * f);
}

export interface RankCandidate {
  code: string;
  impact: number | null;
  financial: number | null;
}

export interface Ranking {
  priority: number;
  rank: number;
}

interface Keyed<T> {
  item: T;
  priority: number;
  distance: number;
  unscored: boolean;
}

/**
 * Sorts topics into rank order and numbers them 1..n without ties (section 5): P descending, then
 * distance descending, then code ascending; topics with both axes null last. Returns copies of the
 * input items with `priority` and `rank` added.
 */
export function rankTopics<T extends RankCandidate>(
  topics: readonly T[],
  settings: PrioritySettings,
): (T & Ranking)[] {
  const keyed: Keyed<T>[] = topics.map((item) => ({
    item,
    priority: priority(item.impact, item.financial, settings),
    distance: distance(item.impact ?? 0, item.financial ?? 0),
    unscored: item.impact === null && item.financial === null,
  }));
  keyed.sort(compareKeyed);
  return keyed.map((k, index) => ({ ...k.item, priority: k.priority, rank: index + 1 }));
}

function compareKeyed<T extends RankCandidate>(a: Keyed<T>, b: Keyed<T>): number {
  return (
    Number(a.unscored) - Number(b.unscored) ||
    quantize(b.priority) - quantize(a.priority) ||
    quantize(b.distance) - quantize(a.distance) ||
    compareCodes(a.item.code, b.item.code)
  );
}

/**
 * Values equal on paper but computed along different paths can differ in the last bit; comparing
 * them on a 1e-9 grid lets such ties reach the documented tie-breaks. Rounding is monotone, so the
 * order stays a consistent total order (unlike an epsilon inside the comparator).
 */
function quantize(x: number): number {
  return Math.round(x * 1e9);
}

/** Code-unit order, not localeCompare: the rank must not depend on the server's locale. */
function compareCodes(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
