import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

/**
 * Percentile of an ascending array by linear interpolation between order statistics (Hyndman & Fan
 * type 7, the default of R's quantile() and NumPy's percentile). `p` in [0, 1].
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Ascending copy of numeric values (Float64Array sorts numerically, unlike Array#sort). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Ranks 1..n of `values` (ascending), ties sharing the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const avg = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = avg;
    start = end + 1;
  }
  return ranks;
}

/** Σ (t³ − t) over the groups of tied values (the tie correction of Kendall's W and Friedman). */
export function tieSum(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) sum += t * t * t - t;
  return sum;
}

/** Student's t quantile (stdlib), e.g. tQuantile(0.975, 10) = 2.228…. */
export function studentT(p: number, df: number): number {
  return tQuantile(p, df);
}

/** Upper tail P(χ²_df ≥ x) (stdlib's CDF). */
export function chiSquareUpper(x: number, df: number): number {
  return 1 - chisquareCdf(x, df);
}

/**
 * The 95% t-interval of a mean, `mean ± t(0.975, n−1) · sd/√n` (methodology section 6); null when
 * it is undefined (fewer than two answers).
 */
export function meanInterval(
  mean: number | null,
  sd: number | null,
  n: number,
): [number, number] | null {
  if (mean === null || sd === null || n < 2) return null;
  const half = studentT(0.975, n - 1) * (sd / Math.sqrt(n));
  return [mean - half, mean + half];
}

/** Pearson correlation; null when either side has no variance (the coefficient is undefined). */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2 || y.length !== n) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
