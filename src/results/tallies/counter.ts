import crypto from 'node:crypto';
import { loadAssessmentCached } from '../../assessments/services/assessment.store';
import { duplicateIndexes } from '../../db/duplicates';
import { faultPoint, hookPoint } from '../../db/faults';
import { dict } from '../../scoring';
import { responsesCollection } from '../../responses/response.model';
import { blockDoc, blockEntry, insertBlocks, mergeBlocks } from './answer-blocks';
import { BlockWriter } from './answer-codec';
import { groupStatsCollection, groupStatsId, type GroupIncrement } from './group-stats.model';
import {
  batchesCollection,
  inboxCollection,
  unpackEntry,
  type BatchDoc,
  type InboxDoc,
} from './inbox.model';
import { forgetMovedAhead, heldForMove, movedAheadHere } from './inbox-writer';
import { Lease } from './lease';
import { addIncrement, responseIncrement, settleBeforeReads } from './tally.service';

/** At most this many submissions are counted in one batch (one `$inc` per group). */
const BATCH_MAX = 1000;
/** Each group document remembers this many applied batches: re-applying one is then a no-op. */
const BATCHES_KEPT = 64;

/** How long a read of the counters waits, at most, for submissions another instance is counting. */
const SETTLE_MAX_MS = 2000;

const lease = new Lease();
let paused = 0;

/**
 * Moves the entries to `responses`. A duplicate id is either this very submission moved before a
 * crash (same nonce: counted with this batch, since no batch record existed yet) or a different
 * submission that lost a race for a single-use id (left out, never counted).
 */
async function move(entries: InboxDoc[]): Promise<Set<string>> {
  const duplicates = new Set<string>();
  if (!entries.length) return duplicates; // the driver refuses an empty insertMany
  try {
    await hookPoint('tally.beforeMove');
    await responsesCollection().insertMany(entries, { ordered: false });
  } catch (err) {
    // Anything but "each entry stored or refused as a duplicate" (a lost connection included)
    // leaves the entries in the inbox for the next round: nothing is counted that is not stored.
    const failed = duplicateIndexes(err, entries.length);
    if (!failed) throw err;
    for (const index of failed) {
      const entry = entries[index];
      if (!entry) continue;
      const stored = await responsesCollection().findOne(
        { _id: entry._id },
        { projection: { nonce: 1 } },
      );
      if ((stored as { nonce?: string } | null)?.nonce !== entry.nonce) duplicates.add(entry._id);
    }
  }
  return duplicates;
}

async function incrementsOf(entries: InboxDoc[]): Promise<BatchDoc['groups']> {
  const byStats = new Map<
    string,
    { statsId: string; assessmentId: string; group: string; inc: GroupIncrement }
  >();
  for (const e of entries) {
    const a = await loadAssessmentCached(e.assessmentId);
    const statsId = groupStatsId(e.assessmentId, e.group);
    const g = byStats.get(statsId) ?? {
      statsId,
      assessmentId: e.assessmentId,
      group: e.group,
      inc: dict<number>(),
    };
    addIncrement(g.inc, responseIncrement(a, e.answers, e.kind === 'personal', e));
    byStats.set(statsId, g);
  }
  return [...byStats.values()];
}

/**
 * Applies a batch's `$inc` (and lists its answer block) on one group document, unless that
 * document already has it. Answers the document's block list when this call extended it.
 */
async function applyOnce(batchId: string, g: BatchDoc['groups'][number]): Promise<string[] | null> {
  const stats = groupStatsCollection();
  const doc = await stats.findOne({ _id: g.statsId }, { projection: { batches: 1, blocks: 1 } });
  const seen = doc as { batches?: string[]; blocks?: string[] } | null;
  const applied = seen?.batches ?? [];
  if (applied.includes(batchId)) return null;
  const set = { updatedAt: new Date(), batches: [...applied.slice(-(BATCHES_KEPT - 1)), batchId] };
  const push = g.block ? { $push: { blocks: g.block } } : {};
  if (doc) await stats.updateOne({ _id: g.statsId }, { $inc: g.inc, $set: set, ...push });
  else
    await stats.updateOne(
      { _id: g.statsId },
      { $inc: g.inc, $set: { ...set, assessmentId: g.assessmentId, group: g.group }, ...push },
      { upsert: true },
    );
  return g.block ? [...(seen?.blocks ?? []), g.block] : null;
}

async function finish(b: BatchDoc, holder: Lease): Promise<void> {
  const extended: { g: BatchDoc['groups'][number]; list: string[] }[] = [];
  for (const g of b.groups) {
    if (!holder.safe() && !(await holder.hold())) throw new Error('counting lease lost');
    const list = await applyOnce(b._id, g);
    if (list) extended.push({ g, list });
    faultPoint('tally.afterIncrement');
  }
  await inboxCollection().deleteMany({ _id: { $in: b.ids } });
  faultPoint('tally.afterInboxDelete');
  await batchesCollection().deleteOne({ _id: b._id });
  for (const { g, list } of extended) await mergeBlocks(g.statsId, g.assessmentId, list);
}

/**
 * One answer block per assessment of the batch, listed on the first of its group documents the
 * batch changes (answer-blocks.ts). Written before the batch record, so a batch's blocks exist
 * before anything names them.
 */
async function writeBlocks(
  batchId: string,
  counted: InboxDoc[],
  groups: BatchDoc['groups'],
): Promise<void> {
  const byAssessment = new Map<string, BlockWriter>();
  for (const e of counted) {
    const w = byAssessment.get(e.assessmentId) ?? new BlockWriter();
    w.add(e);
    byAssessment.set(e.assessmentId, w);
  }
  const docs = [...byAssessment].map(([assessmentId, w]) => {
    const block = w.finish();
    const id = `${assessmentId}:${batchId}`;
    const first = groups.find((g) => g.assessmentId === assessmentId);
    if (first) first.block = blockEntry(id, block.rows, block.details);
    return blockDoc(id, assessmentId, block);
  });
  await insertBlocks(docs);
}

/** One batch from the inbox; answers how many entries it read and how many it took. */
async function countBatch(holder: Lease): Promise<{ read: number; taken: number }> {
  const read = await inboxCollection().find({}, { limit: BATCH_MAX }).toArray();
  // An entry its submission is moving itself is taken by the next round (inbox-writer.ts).
  const entries = read.filter((e) => !heldForMove(e)).map(unpackEntry);
  if (!entries.length) return { read: read.length, taken: 0 };
  // Single-use entries the submission moved itself are in `responses` already (inbox-writer.ts).
  const duplicates = await move(entries.filter((e) => !movedAheadHere(e)));
  faultPoint('tally.afterMove');
  await hookPoint('tally.afterMove');
  const counted = entries.filter((e) => !duplicates.has(e._id));
  const batch: BatchDoc = {
    _id: crypto.randomUUID(),
    at: new Date(),
    ids: entries.map((e) => e._id),
    groups: await incrementsOf(counted),
  };
  if (!holder.safe() && !(await holder.hold())) return { read: read.length, taken: 0 };
  await writeBlocks(batch._id, counted, batch.groups);
  faultPoint('tally.afterBlocks');
  await batchesCollection().insertOne(batch);
  faultPoint('tally.afterBatch');
  await finish(batch, holder);
  forgetMovedAhead(entries);
  return { read: read.length, taken: entries.length };
}

/**
 * Counts everything not counted yet, as `holder`: first the batches a crash left half-applied,
 * then the inbox. Its cost follows the unfinished work only, never the stored responses.
 */
async function countAll(holder: Lease): Promise<void> {
  for (const b of await batchesCollection().find({}).toArray()) await finish(b, holder);
  let taken = 0;
  let last: { read: number; taken: number };
  do taken += (last = await countBatch(holder)).taken;
  while (last.read === BATCH_MAX && last.taken > 0);
  lastRound = taken;
}

/** Entries the last round of this process counted: a deep inbox means counting lags behind. */
let lastRound = 0;
const BACKLOG = 200;

/**
 * Whether submissions should wait for a round before answering (back-pressure): while counting
 * keeps up, a submission answers after its insert; once a round finds a deep inbox, waiting keeps
 * the inbox (which every round reads) from growing faster than it is counted.
 */
export const countingBehind = () => lastRound >= BACKLOG;

/** One round; true when this process held the lease and counted everything in the inbox. */
async function tick(): Promise<boolean> {
  if (paused > 0 || !(await lease.hold())) return false;
  await countAll(lease);
  return true;
}

let current: Promise<boolean> | null = null;
let next: Promise<boolean> | null = null;

/**
 * Counts soon: starts a round now, or joins the one queued after the round under way, so that many
 * concurrent submissions share one batch (group commit). Resolves once that round has finished:
 * true when it was this process's to count (another instance may hold the lease).
 */
export function countSoon(): Promise<boolean> {
  if (!current) {
    current = tick().finally(() => {
      current = null;
    });
    return current;
  }
  next ??= current
    .catch(() => false)
    .then(() => {
      next = null;
      return countSoon();
    });
  return next;
}

/**
 * Counts everything stored so far and resolves once it is counted, as the lease holder: waits for
 * a lease a crashed instance left (it expires) and throws what a round throws. For operator paths
 * and tests; rounds stay serialised with the background ones, so no entry is counted twice.
 */
export async function countNow(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await countSoon())) {
    if (Date.now() > deadline) throw new Error('counting lease not obtained');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a round without waiting for it: a submission answers once its insert is durable. */
export function countInBackground(onError: (err: unknown) => void = () => undefined): void {
  countSoon().catch(onError);
}

/** Whether anything stored before `before` still waits to be counted. */
async function pending(before: Date): Promise<boolean> {
  const [entry, batch] = await Promise.all([
    inboxCollection().findOne({ submittedAt: { $lte: before } }, { projection: { _id: 1 } }),
    batchesCollection().findOne({}, { projection: { _id: 1 } }),
  ]);
  return !!(entry || batch);
}

/**
 * Called before counters are read: counts what waits in the inbox, so that a read after a 2xx
 * includes that submission. When another instance holds the lease (or a rebuild runs), it waits,
 * at most `maxWaitMs`, for the entries stored before the read began to leave the inbox; entries
 * stored after it began are not waited for, so a steady stream of submissions never stalls reads.
 */
export async function settleCounting(maxWaitMs = SETTLE_MAX_MS): Promise<void> {
  const since = new Date();
  const deadline = Date.now() + maxWaitMs;
  while (await pending(since)) {
    if (await countSoon().catch(() => false)) return;
    if (Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
settleBeforeReads(() => settleCounting());

/**
 * Runs `fn` while nothing else counts, anywhere: it takes the lease from whoever holds it (this
 * process's counter included) and gives it back afterwards. Submissions go on meanwhile; they wait
 * in the inbox and are counted after `fn`.
 */
export async function withCountingStopped<T>(fn: (holder: Lease) => Promise<T>): Promise<T> {
  paused++;
  lease.drop();
  const own = new Lease();
  let renew: NodeJS.Timeout | undefined;
  try {
    await current?.catch(() => undefined);
    await own.takeOver();
    // A rebuild can take longer than a lease: keep renewing it until done.
    renew = setInterval(() => void own.hold().catch(() => undefined), 1000);
    await countAll(own);
    return await fn(own);
  } finally {
    if (renew) clearInterval(renew);
    await own.release().catch(() => undefined);
    paused--;
  }
}

/** The periodic reconciler: counts what other instances or a crash left, every `intervalMs`. */
export function startCounting(intervalMs: number, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void countSoon().catch(onError), intervalMs);
  timer.unref();
  void countSoon().catch(onError);
  return () => {
    clearInterval(timer);
    lease.drop();
  };
}
