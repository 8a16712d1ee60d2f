import { averageRanks, chiSquareUpper, pearson, tieSum } from './stats';

export interface KendallW {
  kendallW: number | null;
  chi2: number | null;
  df: number | null;
  pValue: number | null;
}

const NONE: KendallW = { kendallW: null, chi2: null, df: null, pValue: null };

/**
 * Kendall's coefficient of concordance with the tie correction, over m raters (rows) scoring the same
 * n items (columns): each row becomes average ranks, S = Σ (R_i − R̄)² over the items' rank sums,
 * W = 12 S / (m²(n³ − n) − m Σ_j Σ(t³ − t)), χ² = m(n − 1) W with n − 1 degrees of freedom.
 * Null below two raters or two items, or when every rater ties every item (W undefined).
 */
export function kendallW(scores: readonly (readonly number[])[]): KendallW {
  const m = scores.length;
  const n = scores[0]?.length ?? 0;
  if (m < 2 || n < 2) return NONE;
  const rankSums = new Array<number>(n).fill(0);
  let ties = 0;
  for (const row of scores) {
    const ranks = averageRanks(row);
    ranks.forEach((r, i) => (rankSums[i]! += r));
    ties += tieSum(row);
  }
  const meanRankSum = (m * (n + 1)) / 2;
  const s = rankSums.reduce((acc, r) => acc + (r - meanRankSum) ** 2, 0);
  const denominator = m * m * (n * n * n - n) - m * ties;
  if (denominator <= 0) return NONE;
  const w = (12 * s) / denominator;
  const chi2 = m * (n - 1) * w;
  const df = n - 1;
  return { kendallW: w, chi2, df, pValue: chiSquareUpper(chi2, df) };
}

/** Spearman's ρ with ties: Pearson's correlation of the average ranks. Null when undefined. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  return pearson(averageRanks(x), averageRanks(y));
}
