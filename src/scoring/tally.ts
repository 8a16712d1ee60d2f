import type { GroupStats, Tally } from './types';

export function emptyTally(): Tally {
  return { n: 0, sum: 0, sumSq: 0, dontKnow: 0 };
}

/** What one response adds to its (topic, axis, group) tally; shaped for a MongoDB `$inc`. */
export function tallyDelta(x: number | null): Tally {
  if (x === null) return { n: 0, sum: 0, sumSq: 0, dontKnow: 1 };
  return { n: 1, sum: x, sumSq: x * x, dontKnow: 0 };
}

export function addTally(a: Tally, b: Tally): Tally {
  return {
    n: a.n + b.n,
    sum: a.sum + b.sum,
    sumSq: a.sumSq + b.sumSq,
    dontKnow: a.dontKnow + b.dontKnow,
  };
}

/** The tally of a list of respondent scores, built the same way the `$inc` path builds it. */
export function tallyOf(xs: readonly (number | null)[]): Tally {
  return xs.map(tallyDelta).reduce(addTally, emptyTally());
}

export function isEmptyTally(t: Tally): boolean {
  return t.n === 0 && t.dontKnow === 0;
}

/** Mean and sample sd (n − 1) of a tally; sd is null below two answers, where it is undefined. */
export function groupStats(t: Tally): GroupStats {
  if (t.n === 0) return { n: 0, mean: null, sd: null, dontKnow: t.dontKnow };
  const mean = t.sum / t.n;
  return { n: t.n, mean, sd: sampleSd(t, mean), dontKnow: t.dontKnow };
}

function sampleSd(t: Tally, mean: number): number | null {
  if (t.n < 2) return null;
  // sumSq − n·mean² cancels when the answers are (nearly) equal, and rounding can then leave a
  // tiny negative variance; the true variance is never negative.
  const variance = (t.sumSq - t.n * mean * mean) / (t.n - 1);
  return Math.sqrt(Math.max(0, variance));
}
