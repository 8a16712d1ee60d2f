import type { Assessment } from '../assessments/model/assessment.types';

/**
 * What the rankings show of the analytics (a later layer): per topic the bootstrap's P(material),
 * whether it is uncertain, and the rank range and P(material) under the Dirichlet weight draws.
 * Analytics registers the provider at start; it answers from its cache for the current data only
 * and never starts a computation (a rankings read must stay cheap), so `null` means "not computed
 * yet" (or analytics not loaded at all).
 */
export interface TopicUncertainty {
  pMaterial: number;
  uncertain: boolean;
  rankRange90: [number, number];
  pMaterialUnderWeights: number;
}
export type RankingAnalytics = Map<string, TopicUncertainty>;

type Provider = (a: Assessment) => Promise<RankingAnalytics | null>;
let provider: Provider | undefined;

export function provideRankingAnalytics(fn: Provider) {
  provider = fn;
}

export async function rankingAnalyticsOf(a: Assessment): Promise<RankingAnalytics | null> {
  return provider ? provider(a) : null;
}
