import type { Axis, Criteria, Criterion, ImpactProfile, InstrumentMode } from './types';

/**
 * Profile used when the ESG team has set none. Negative and actual is the conservative reading:
 * every severity characteristic counts and nothing is discounted by likelihood.
 */
export const DEFAULT_IMPACT_PROFILE: Readonly<ImpactProfile> = Object.freeze({
  nature: 'negative',
  occurrence: 'actual',
  humanRights: false,
});

/**
 * Exactly the criteria the formula of section 2 uses, so the questionnaire never asks for an answer
 * that cannot change the score.
 */
export function requiredCriteria(
  axis: Axis,
  mode: InstrumentMode,
  profile: ImpactProfile = DEFAULT_IMPACT_PROFILE,
): Criterion[] {
  if (mode === 'rating') return ['significance'];
  if (axis === 'financial') return ['magnitude', 'likelihood'];
  const criteria: Criterion[] = ['scale', 'scope'];
  if (profile.nature === 'negative') criteria.push('irremediability');
  if (usesLikelihood(profile)) criteria.push('likelihood');
  return criteria;
}

/**
 * Actual impacts have happened, so there is no likelihood to discount by. For negative human-rights
 * impacts severity takes precedence over likelihood (ESRS 1 §45), so a potential one scores like an
 * actual one.
 */
export function usesLikelihood(profile: ImpactProfile): boolean {
  if (profile.occurrence === 'actual') return false;
  return !(profile.nature === 'negative' && profile.humanRights);
}

/**
 * Respondent score x in [0.2, 5] (methodology section 2), or null when any criterion the formula needs
 * is missing: a partial answer is not a score. Criteria the formula does not use are ignored.
 */
export function respondentScore(
  axis: Axis,
  mode: InstrumentMode,
  c: Criteria,
  profile: ImpactProfile = DEFAULT_IMPACT_PROFILE,
): number | null {
  if (!answered(c, requiredCriteria(axis, mode, profile))) return null;
  if (mode === 'rating') return c.significance;
  if (axis === 'financial') return (c.magnitude * c.likelihood) / 5;
  const s = severity(profile.nature, c) as number;
  return usesLikelihood(profile) ? (s * c.likelihood) / 5 : s;
}

/**
 * Severity S of section 2. For negative impacts, mean and max are averaged because any single
 * characteristic can make an impact severe (ESRS 1 AR 11) while a plain max would ignore the others.
 * Null when a characteristic it needs is missing.
 */
export function severity(nature: ImpactProfile['nature'], c: Criteria): number | null {
  const values = nature === 'negative' ? [c.scale, c.scope, c.irremediability] : [c.scale, c.scope];
  if (!values.every(isNumber)) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return nature === 'negative' ? (mean + Math.max(...values)) / 2 : mean;
}

function isNumber(v: number | null | undefined): v is number {
  return v !== null && v !== undefined;
}

/** Narrows to "all numbers"; callers read only the criteria they just checked. */
function answered(c: Criteria, needed: Criterion[]): c is Record<Criterion, number> {
  return needed.every((k) => isNumber(c[k]));
}
