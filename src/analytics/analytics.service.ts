import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { loadAssessment } from '../assessments/services/assessment.store';
import type { Assessment } from '../assessments/model/assessment.types';
import { getStats } from '../results/tallies/tally.service';
import { AnalyticsCache, type AnalyticsDoc } from './analytics.model';
import type { Analytics } from './compute';
import { claimAndStart, isFresh } from './job';
import { DEFAULT_SEED } from './random';
import { dataVersionOf } from './setup';

export type AnalyticsAnswer =
  { status: 'done'; json: string } | { status: 'computing'; progress: number };

/**
 * The analytics of an assessment: the cached JSON when it was computed for the current data
 * version, else "computing" with the progress of the job, which is started (by this instance)
 * unless one runs for this version already. Reads: the assessment, one document per group and
 * the cache document, all by primary key; never the responses.
 */
export async function getAnalytics(
  actor: SessionUser | undefined,
  assessment: string | Assessment,
): Promise<AnalyticsAnswer> {
  assertCan(actor, 'read');
  const a = typeof assessment === 'string' ? await loadAssessment(assessment) : assessment;
  const stats = await getStats(
    a._id,
    a.groups.map((g) => g.code),
  );
  const version = dataVersionOf(a, stats, DEFAULT_SEED);
  const doc = await AnalyticsCache.findById(a._id).lean<AnalyticsDoc>();
  if (doc?.dataVersion === version) {
    if (doc.status === 'done' && doc.result) return { status: 'done', json: doc.result };
    if (doc.status === 'computing' && isFresh(doc))
      return { status: 'computing', progress: doc.progress };
  }
  await claimAndStart(a, stats, version, DEFAULT_SEED, doc);
  return { status: 'computing', progress: doc?.dataVersion === version ? doc.progress : 0 };
}

/**
 * The cached analytics if they were computed for the current data, else null: never starts a job
 * (the matrix and exports use it; they must neither wait nor trigger work on every new response).
 */
export async function peekAnalytics(a: Assessment): Promise<Analytics | null> {
  const [stats, doc] = await Promise.all([
    getStats(
      a._id,
      a.groups.map((g) => g.code),
    ),
    AnalyticsCache.findById(a._id).lean<AnalyticsDoc>(),
  ]);
  if (doc?.status !== 'done' || !doc.result) return null;
  if (doc.dataVersion !== dataVersionOf(a, stats, DEFAULT_SEED)) return null;
  return JSON.parse(doc.result) as Analytics;
}
