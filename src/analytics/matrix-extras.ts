import type { Assessment } from '../assessments/model/assessment.types';
import type { MatrixExtras } from '../results/matrix-types';
import { provideMatrixExtras } from '../results/results-view.service';
import { peekAnalytics } from './analytics.service';

/**
 * Whiskers and uncertain marks for the matrix (page, SVG, PNG), from the cached analytics of the
 * current data only: a matrix view never starts or waits for a computation, it draws nothing extra
 * until the Analytics tab or API has computed them. Whole-assessment view only (the intervals are
 * of the weighted scores, not of one group's means).
 */
export async function matrixExtrasOf(a: Assessment): Promise<MatrixExtras | undefined> {
  const x = await peekAnalytics(a);
  if (!x) return undefined;
  return {
    intervals: new Map(
      x.topics.map((t) => [t.code, { impact: t.impact.ci95, financial: t.financial.ci95 }]),
    ),
    uncertain: new Set(x.topics.filter((t) => t.uncertain).map((t) => t.code)),
  };
}

provideMatrixExtras(matrixExtrasOf);
