import crypto from 'node:crypto';
import { assertNotSignedOff, loadAssessment } from '../../assessments/services/assessment.store';
import { recordAudit } from '../../audit/audit.writer';
import type { Assessment } from '../../assessments/model/assessment.types';
import { withCountingStopped } from './counter';
import {
  answerBlocksCollection,
  BLOCK_ROWS,
  blockDoc,
  blockEntry,
  insertBlocks,
  parseEntry,
} from './answer-blocks';
import { BlockWriter } from './answer-codec';
import { dict } from '../../scoring';
import { ResponseModel, type ResponseDoc } from '../../responses/response.model';
import {
  GroupStats,
  groupStatsId,
  type GroupIncrement,
  type GroupStatsDoc,
} from './group-stats.model';
import { addIncrement, responseIncrement } from './tally.service';
import { entryKey, inboxCollection } from './inbox.model';
import { hookPoint } from '../../db/faults';
import { parseQualityKey } from './quality-key';
import { parseTallyKey } from './tally-key';
import { isDayKey } from './day-key';

/**
 * Recomputes counts and tallies of an assessment from its stored responses (`results:rebuild`).
 * This is the one place that scans responses: an operator command, never a request path. It sums
 * exactly the increments each submission applied, so rebuild and incremental updates agree.
 */
export async function rebuildTallies(
  assessmentId: string,
  onProgress?: (done: number) => void,
): Promise<{ responses: number }> {
  const a = await loadAssessment(assessmentId);
  // A signed-off assessment keeps its figures: reopen it first. The entry is written before the
  // rebuild, so a rebuild without its entry never runs.
  assertNotSignedOff(a);
  await recordAudit({ actor: { cli: true }, action: 'results.rebuild', assessmentId });
  // Counting stops for the rebuild (submissions go on into the inbox and are counted afterwards),
  // so no batch lands between the scan and the replacement of the counters.
  return withCountingStopped(() => rebuildFrom(a, onProgress));
}

/** The answer blocks of a rebuild, one writer per group, written as each fills up. */
class GroupBlocks {
  private readonly writers = new Map<string, BlockWriter>();
  private readonly lists = new Map<string, string[]>();
  constructor(private readonly assessmentId: string) {}

  async add(r: ResponseDoc): Promise<void> {
    const w = this.writers.get(r.group) ?? new BlockWriter();
    this.writers.set(r.group, w);
    w.add(r);
    if (w.rows >= BLOCK_ROWS) await this.flush(r.group);
  }

  /** The group's list, its last block written. */
  async finish(group: string): Promise<string[]> {
    await this.flush(group);
    return this.lists.get(group) ?? [];
  }

  private async flush(group: string) {
    const w = this.writers.get(group);
    if (!w?.rows) return;
    this.writers.delete(group);
    const id = `${this.assessmentId}:r:${crypto.randomUUID()}`;
    const block = w.finish();
    await insertBlocks([blockDoc(id, this.assessmentId, block)]);
    this.lists.set(group, [
      ...(this.lists.get(group) ?? []),
      blockEntry(id, block.rows, block.details),
    ]);
  }
}

const CHUNK = 1000;

/**
 * Adds the scanned responses that are counted, leaving out those still in the inbox: a submission
 * with a single-use id moves its entry to `responses` itself, before counting takes it from the
 * inbox (inbox-writer.ts), and counting (stopped during the rebuild) counts it afterwards. The
 * inbox is read after the chunk was scanned, and an entry leaves the inbox only by counting, so a
 * scanned response is in that reading exactly when it is not counted yet.
 */
async function addCounted(
  assessmentId: string,
  chunk: ResponseDoc[],
  add: (r: ResponseDoc) => Promise<void>,
): Promise<void> {
  if (!chunk.length) return;
  const waiting = await inboxCollection()
    .find({ assessmentId }, { projection: { nonce: 1 } })
    .toArray();
  const pending = new Set(waiting.map(entryKey));
  for (const r of chunk) if (!pending.has(entryKey(r))) await add(r);
}

async function rebuildFrom(
  a: Assessment,
  onProgress?: (done: number) => void,
): Promise<{ responses: number }> {
  const assessmentId = a._id;
  const byGroup = new Map<string, GroupIncrement>();
  const blocks = new GroupBlocks(assessmentId);
  let count = 0;
  const add = async (r: ResponseDoc) => {
    const sum = byGroup.get(r.group) ?? dict<number>();
    byGroup.set(
      r.group,
      addIncrement(sum, responseIncrement(a, r.answers, r.kind === 'personal', r)),
    );
    await blocks.add(r);
    if (++count % 1000 === 0) onProgress?.(count);
  };
  await hookPoint('rebuild.beforeScan');
  const cursor = ResponseModel.find({ assessmentId })
    .lean<ResponseDoc[]>()
    .cursor({ batchSize: 1000 });
  let chunk: ResponseDoc[] = [];
  for await (const r of cursor as AsyncIterable<ResponseDoc>) {
    chunk.push(r);
    if (chunk.length < CHUNK) continue;
    await addCounted(assessmentId, chunk, add);
    chunk = [];
  }
  await addCounted(assessmentId, chunk, add);
  for (const g of a.groups) {
    const id = groupStatsId(assessmentId, g.code);
    const old = await GroupStats.findById(id).lean<GroupStatsDoc>();
    const sums = byGroup.get(g.code) ?? dict<number>();
    // The quality parts (flag sets, completion times) are rebuilt from the stored flags too, and
    // the per-day counters from the submission times.
    const tallies = Object.fromEntries(
      Object.entries(sums).filter(([k]) => parseTallyKey(k) || parseQualityKey(k) || isDayKey(k)),
    );
    // Invitations and openings are not derivable from responses: they are kept.
    const doc: GroupStatsDoc = {
      _id: id,
      assessmentId,
      group: g.code,
      responses: sums.responses ?? 0,
      invited: old?.invited ?? 0,
      opened: old?.opened ?? 0,
      submitted: sums.submitted ?? 0,
      updatedAt: new Date(),
      batches: [],
      blocks: await blocks.finish(g.code),
      ...tallies,
    };
    await GroupStats.replaceOne({ _id: id }, doc, { upsert: true });
    // The blocks the old document listed are no longer read (counting is stopped meanwhile).
    for (const e of old?.blocks ?? [])
      await answerBlocksCollection().deleteOne({ _id: parseEntry(e).id });
  }
  onProgress?.(count);
  return { responses: count };
}
