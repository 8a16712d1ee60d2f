import crypto from 'node:crypto';
import type { Assessment } from '../assessments/model/assessment.types';
import { hookPoint } from '../db/faults';
import { settleCounting } from '../results/tallies/counter';
import { ResponseModel } from '../responses/response.model';
import { answerBlocksCollection, blockBytes, blockIndex } from '../results/tallies/answer-blocks';
import type { StatsDoc } from '../results/tallies/group-stats.model';
import { dict } from '../scoring';
import { AnalyticsCache, type AnalyticsDoc } from './analytics.model';
import type { FromWorker, ToWorker } from './analytics.worker';
import type { Quality } from './compute';
import { startAnalyticsWorker } from './worker-start';

/** This process, as the owner of the jobs it runs. */
const INSTANCE = crypto.randomBytes(6).toString('hex');
/** A job whose owner has not reported for this long is taken over (its instance died). */
export const STALE_MS = 15_000;
const HEARTBEAT_MS = 1_000;

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

/** Responses per batch posted to the worker (one packed buffer each). */
const BATCH = 2000;
/**
 * Responses per round trip of the scan. Small, because the embedded engine answers one wire message
 * at a time (README, "The embedded database"): a results read waits for the scan's batch in flight,
 * so a batch of 2000 held it for seconds; 200 keep that wait to a fraction of a second.
 */
const SCAN_BATCH = 200;

/**
 * The job: reads the responses once (the only scan, off the request path) as raw BSON, projected
 * to what the analytics use, and hands them in packed batches to a worker thread that scores them
 * and computes (analytics.worker.ts). This thread only moves bytes and reports progress, so
 * requests keep flowing while the job runs.
 */
async function run(
  a: Assessment,
  stats: StatsDoc,
  version: string,
  seed: number,
  attempt = 0,
): Promise<void> {
  const total = Math.max(1, stats.responses.total);
  const worker = startAnalyticsWorker();
  let progress = 0;
  let beat = Date.now();
  // Set from callbacks (the heartbeat's write): kept in an object so reads see the latest.
  const state: { reporting: Promise<void> | null; failed: Error | null } = {
    reporting: null,
    failed: null,
  };
  const report = () => {
    if (state.reporting || Date.now() - beat < HEARTBEAT_MS) return;
    beat = Date.now();
    state.reporting = AnalyticsCache.updateOne(
      { _id: a._id, owner: INSTANCE, dataVersion: version },
      { $set: { progress: Math.min(0.99, progress), heartbeatAt: new Date() } },
    )
      .then((r) => {
        if (r.matchedCount === 0) state.failed = new Error('analytics job taken over');
      })
      .catch((err: Error) => void (state.failed = err))
      .finally(() => (state.reporting = null));
  };
  const result = new Promise<string>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'done') resolve(m.json);
      else if (m.type === 'error') reject(new Error(m.message));
      else {
        progress = 0.3 + 0.7 * m.value;
        report();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`analytics worker stopped (${code})`)));
  });
  // Keeps an early failure of the worker from being an unhandled rejection while we still read.
  result.catch(() => undefined);
  try {
    const post = (m: ToWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
    post({
      type: 'init',
      assessment: a,
      excluded: [...(stats.quality?.excluded ?? [])],
      quality: qualityOf(stats),
      dataVersion: version,
      computedAt: new Date().toISOString(),
      seed,
    });
    const onProgress = (p: number) => {
      progress = p;
      report();
      if (state.failed) throw state.failed;
    };
    const fed = attempt < BLOCK_ATTEMPTS ? await feedBlocks(a, total, post, onProgress) : 'none';
    if (fed === 'missing') {
      // A merge replaced a block between reading the list and the block: start again.
      await worker.terminate();
      return await run(a, stats, version, seed, attempt + 1);
    }
    if (fed === 'none') await scanInto(a, total, post, onProgress);
    post({ type: 'end' });
    const json = await result;
    await state.reporting;
    if (state.failed) throw state.failed;
    await AnalyticsCache.updateOne(
      { _id: a._id, owner: INSTANCE, dataVersion: version },
      { $set: { status: 'done', progress: 1, result: json } },
    );
  } finally {
    await worker.terminate();
  }
}

/**
 * Where no complete answer blocks exist (responses counted before them): one scan of the
 * assessment's responses as raw BSON, projected to what the analytics use, posted in packed
 * batches.
 */
async function scanInto(
  a: Assessment,
  total: number,
  post: (m: ToWorker, transfer?: ArrayBuffer[]) => void,
  onProgress: (p: number) => void,
): Promise<void> {
  const cursor = ResponseModel.collection.find(
    { assessmentId: a._id },
    {
      projection: { _id: 0, group: 1, answers: 1, flags: 1 },
      raw: true,
      batchSize: SCAN_BATCH,
    },
  ) as unknown as AsyncIterable<Uint8Array>;
  let chunk: Uint8Array[] = [];
  let bytes = 0;
  let seen = 0;
  const flush = () => {
    const packed = new Uint8Array(bytes);
    let off = 0;
    for (const c of chunk) {
      packed.set(c, off);
      off += c.byteLength;
    }
    post({ type: 'batch', bytes: packed }, [packed.buffer]);
    chunk = [];
    bytes = 0;
  };
  for await (const raw of cursor) {
    chunk.push(raw);
    bytes += raw.byteLength;
    if (++seen % BATCH === 0) {
      flush();
      onProgress((0.3 * seen) / total);
    }
  }
  if (chunk.length) flush();
}

/** How many times the job starts again when a block it was about to read was merged away. */
const BLOCK_ATTEMPTS = 3;

/**
 * Posts the assessment's answer blocks (answer-blocks.ts) to the worker as they are read, one
 * primary-key read each, so reading and decoding overlap. 'none' when the blocks do not hold
 * every counted response (the caller scans instead); 'missing' when a block was merged away
 * meanwhile (the worker has part of the answers: the caller starts again).
 */
async function feedBlocks(
  a: Assessment,
  total: number,
  post: (m: ToWorker, transfer?: ArrayBuffer[]) => void,
  onProgress: (p: number) => void,
): Promise<'done' | 'none' | 'missing'> {
  const codes = a.groups.map((g) => g.code);
  // A batch being counted right now makes the sums disagree for a moment: let it finish once.
  let index = await blockIndex(a._id, codes);
  if (!index) {
    await settleCounting();
    index = await blockIndex(a._id, codes);
  }
  if (!index) return 'none';
  let seen = 0;
  for (const id of index.ids) {
    await hookPoint('analytics.beforeBlock');
    const b = await answerBlocksCollection().findOne({ _id: id });
    if (!b) return 'missing';
    // A copy of its own, so it can be transferred (the driver's buffer may be shared).
    const bytes = new Uint8Array(blockBytes(b));
    post({ type: 'block', groups: b.groups, topics: b.topics, bytes }, [bytes.buffer]);
    seen += b.rows;
    onProgress((0.3 * seen) / total);
  }
  return 'done';
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
