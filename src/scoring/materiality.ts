import type { Classification, ScoringSettings } from './types';

/**
 * Slack on every threshold comparison. Scores are means of fractions (13/3 × 3/5, weighted means), so
 * a value exactly on a threshold on paper can come out as 2.9999999999999996 in binary floating point;
 * without slack the program would call "not material" what the worked example calls material.
 * 1e-9 is far below any difference a 1..5 scale can express and far above rounding error.
 */
export const SCORE_EPSILON = 1e-9;

/** A null score (nobody answered) is never material. */
export function meetsThreshold(score: number | null, threshold: number): boolean {
  return score !== null && score >= threshold - SCORE_EPSILON;
}

/** A null score is never borderline: there is nothing near the threshold to review. */
export function nearThreshold(score: number | null, threshold: number, band: number): boolean {
  return score !== null && Math.abs(score - threshold) <= band + SCORE_EPSILON;
}

export interface Materiality {
  impactMaterial: boolean;
  financialMaterial: boolean;
  classification: Classification;
  /** Computed materiality under the rule, before any reviewer override. */
  material: boolean;
  borderline: boolean;
}

type MaterialitySettings = Pick<ScoringSettings, 'thresholds' | 'rule' | 'borderlineBand'>;

/** Section 4 for one topic's impact score I and financial score F. */
export function classify(
  I: number | null,
  F: number | null,
  settings: MaterialitySettings,
): Materiality {
  const { thresholds: t, rule, borderlineBand: band } = settings;
  const impactMaterial = meetsThreshold(I, t.impact);
  const financialMaterial = meetsThreshold(F, t.financial);
  return {
    impactMaterial,
    financialMaterial,
    classification: classificationOf(impactMaterial, financialMaterial),
    material:
      rule === 'both' ? impactMaterial && financialMaterial : impactMaterial || financialMaterial,
    borderline: nearThreshold(I, t.impact, band) || nearThreshold(F, t.financial, band),
  };
}

function classificationOf(impact: boolean, financial: boolean): Classification {
  if (impact && financial) return 'double';
  if (impact) return 'impact';
  return financial ? 'financial' : 'none';
}
