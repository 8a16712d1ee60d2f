import type { Assessment } from '../assessments/model/assessment.types';
import { provideRankingAnalytics, type RankingAnalytics } from '../results/rankings-analytics';
import { peekAnalytics } from './analytics.service';

/**
 * P(material) and rank ranges for the rankings page, from the cached analytics of the current data
 * only (as the matrix's whiskers, matrix-extras.ts): a rankings read never starts a job.
 */
export async function rankingAnalytics(a: Assessment): Promise<RankingAnalytics | null> {
  const x = await peekAnalytics(a);
  if (!x) return null;
  return new Map(
    x.topics.map((t) => [
      t.code,
      {
        pMaterial: t.pMaterial,
        uncertain: t.uncertain,
        rankRange90: t.rankRange90,
        pMaterialUnderWeights: t.pMaterialUnderWeights,
      },
    ]),
  );
}

provideRankingAnalytics(rankingAnalytics);
