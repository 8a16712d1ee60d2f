import crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Assessment } from '../assessments/model/assessment.types';
import { ResponseModel, type ResponseDoc } from '../responses/response.model';
import type { StatsDoc } from '../results/tallies/group-stats.model';
import { dict } from '../scoring';
import { AnalyticsCache, type AnalyticsDoc } from './analytics.model';
import { computeAnalytics, type Quality } from './compute';
import { DatasetBuilder } from './dataset';
import { setupOf } from './setup';

/** This process, as the owner of the jobs it runs. */
const INSTANCE = crypto.randomBytes(6).toString('hex');
/** A job whose owner has not reported for this long is taken over (its instance died). */
export const STALE_MS = 15_000;
const HEARTBEAT_MS = 1_000;
/** Longest stretch of computing before the event loop gets a turn (requests keep flowing). */
const SLICE_MS = 25;

const running = new Map<string, Promise<void>>();

/** Resolves once every job this process runs has finished (tests, shutdown). */
export async function jobsSettled(): Promise<void> {
  while (running.size) await Promise.allSettled([...running.values()]);
}

export const isFresh = (d: AnalyticsDoc, now = Date.now()) =>
  now - +new Date(d.heartbeatAt) < STALE_MS;

/**
 * Claims the job for `version` unless another instance runs it (a compare-and-set on `rev`, or the
 * first insert), then starts it in this process. Answers the claimed or the existing document.
 */
export async function claimAndStart(
  a: Assessment,
  stats: StatsDoc,
  version: string,
  seed: number,
  existing: AnalyticsDoc | null,
): Promise<void> {
  const claim = {
    dataVersion: version,
    status: 'computing' as const,
    progress: 0,
    owner: INSTANCE,
    heartbeatAt: new Date(),
    result: null,
    error: null,
  };
  let won: boolean;
  if (!existing) {
    won = await AnalyticsCache.collection
      .insertOne({ _id: a._id, rev: 1, ...claim } as never)
      .then(() => true)
      .catch((err: { code?: number }) => {
        if (err.code === 11000) return false;
        throw err;
      });
  } else {
    const r = await AnalyticsCache.updateOne(
      { _id: a._id, rev: existing.rev },
      { $set: claim, $inc: { rev: 1 } },
    );
    won = r.matchedCount === 1;
  }
  if (!won || running.has(a._id)) return;
  const job = run(a, stats, version, seed)
    .catch(async (err: Error) => {
      await AnalyticsCache.updateOne(
        { _id: a._id, owner: INSTANCE, dataVersion: version },
        { $set: { status: 'failed', error: err.message.slice(0, 500) } },
      ).catch(() => undefined);
    })
    .finally(() => running.delete(a._id));
  running.set(a._id, job);
}

/**
 * The job: reads the responses once (the only scan, off the request path), leaves out the excluded
 * flag classes, and drives the pure computation slice by slice, reporting progress.
 */
async function run(a: Assessment, stats: StatsDoc, version: string, seed: number): Promise<void> {
  const setup = setupOf(a);
  const excluded = stats.quality?.excluded ?? [];
  const builder = new DatasetBuilder(setup);
  const total = Math.max(1, stats.responses.total);
  let seen = 0;
  let beat = Date.now();
  const report = async (progress: number) => {
    if (Date.now() - beat < HEARTBEAT_MS) return;
    beat = Date.now();
    const r = await AnalyticsCache.updateOne(
      { _id: a._id, owner: INSTANCE, dataVersion: version },
      { $set: { progress: Math.min(0.99, progress), heartbeatAt: new Date() } },
    );
    if (r.matchedCount === 0) throw new Error('analytics job taken over');
  };
  const cursor = ResponseModel.find({ assessmentId: a._id })
    .select({ group: 1, answers: 1, flags: 1 })
    .lean<ResponseDoc[]>()
    .cursor({ batchSize: 2000 });
  for await (const r of cursor as AsyncIterable<ResponseDoc>) {
    if (!(r.flags ?? []).some((f) => excluded.includes(f))) builder.add(r);
    if (++seen % 2000 === 0) await report((0.3 * seen) / total);
  }
  const gen = computeAnalytics(setup, builder.build(), {
    assessmentId: a._id,
    dataVersion: version,
    computedAt: new Date().toISOString(),
    seed,
    quality: qualityOf(stats),
  });
  let slice = Date.now();
  for (;;) {
    const step = gen.next();
    if (step.done) {
      await AnalyticsCache.updateOne(
        { _id: a._id, owner: INSTANCE, dataVersion: version },
        { $set: { status: 'done', progress: 1, result: JSON.stringify(step.value) } },
      );
      return;
    }
    if (Date.now() - slice >= SLICE_MS) {
      await report(0.3 + 0.7 * step.value);
      await nextTurn();
      slice = Date.now();
    }
  }
}

/** Flag counts from the tallies (every stored response, excluded or not). */
function qualityOf(stats: StatsDoc): Quality {
  const byGroup = dict<{ straightLining: number; speeder: number }>();
  let straightLining = 0;
  let speeder = 0;
  for (const [g, q] of Object.entries(stats.quality?.byGroup ?? {})) {
    byGroup[g] = { straightLining: q.straightLining, speeder: q.speeder };
    straightLining += q.straightLining;
    speeder += q.speeder;
  }
  return { straightLining, speeder, byGroup, excluded: [...(stats.quality?.excluded ?? [])] };
}
