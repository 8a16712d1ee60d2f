import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { BSON } from 'mongodb';
import { duplicateIndexes } from '../../db/duplicates';
import { hookPoint } from '../../db/faults';
import { BlockWriter, decodeBlock, type BlockRecord, type EncodedBlock } from './answer-codec';
import { groupStatsCollection, groupStatsId } from './group-stats.model';

/**
 * Answer blocks: every counted response's group, answers and flags, packed (answer-codec.ts) into
 * blocks of up to BLOCK_ROWS responses, so the analytics job reads an assessment's answers as a few
 * primary-key reads of large values instead of scanning `responses` (which the embedded engine
 * converts field by field: 280 s for 100,000 responses). The responses stay the record; blocks are
 * derived from them and `results:rebuild` writes them anew.
 *
 * Exactly once: a block is written before the counter update that references it, and the
 * reference is pushed onto a group document's `blocks` list in the same atomic update as that
 * batch's `$inc` (so a batch applied twice is a no-op for both). A crash in between leaves an
 * unreferenced block, which nothing reads. Merging replaces a run of small blocks by one, with a
 * single `$set` of the list, under the counting lease.
 */
export interface AnswerBlockDoc {
  _id: string;
  assessmentId: string;
  rows: number;
  /** every record carries its details (absent in blocks written before details existed) */
  details?: boolean;
  groups: string[];
  topics: string[];
  data: BSON.Binary;
}

/** At most this many responses in a block written by a rebuild or a merge. */
export const BLOCK_ROWS = 2000;
/** A group document's list is merged down once it is longer than this. */
const MAX_LIST = 24;
/** How many consecutive blocks one merge takes. */
const MERGE_WINDOW = 8;

export const answerBlocksCollection = () =>
  mongoose.connection.collection<AnswerBlockDoc>('answerblocks');

/**
 * A list entry: "<rows>/<block id>", or "<rows>d/<block id>" for a block whose every record carries
 * its details (answer-details.ts), so merges and exports can choose without reading the blocks.
 */
export const blockEntry = (id: string, rows: number, details = false) =>
  `${rows}${details ? 'd' : ''}/${id}`;
export function parseEntry(entry: string): { id: string; rows: number; details: boolean } {
  const slash = entry.indexOf('/');
  const head = entry.slice(0, slash);
  const details = head.endsWith('d');
  return { rows: Number(details ? head.slice(0, -1) : head), id: entry.slice(slash + 1), details };
}

/** The list entry of a block document. */
export const entryOf = (b: AnswerBlockDoc) => blockEntry(b._id, b.rows, b.details === true);

export function blockDoc(id: string, assessmentId: string, b: EncodedBlock): AnswerBlockDoc {
  return {
    _id: id,
    assessmentId,
    rows: b.rows,
    details: b.details,
    groups: b.groups,
    topics: b.topics,
    data: new BSON.Binary(b.data),
  };
}

/** Inserts blocks; one that exists already (the same batch written before a crash) is kept. */
export async function insertBlocks(docs: AnswerBlockDoc[]): Promise<void> {
  if (!docs.length) return;
  try {
    await answerBlocksCollection().insertMany(docs, { ordered: false });
  } catch (err) {
    if (!duplicateIndexes(err, docs.length)) throw err;
  }
}

/** Encodes the records into one block per BLOCK_ROWS, in order. */
export function encodeRecords(records: Iterable<BlockRecord>): EncodedBlock[] {
  const out: EncodedBlock[] = [];
  let w = new BlockWriter();
  for (const r of records) {
    w.add(r);
    if (w.rows >= BLOCK_ROWS) {
      out.push(w.finish());
      w = new BlockWriter();
    }
  }
  if (w.rows) out.push(w.finish());
  return out;
}

/**
 * Merges a run of small blocks of a group document's list once it grew past MAX_LIST: the window
 * of MERGE_WINDOW consecutive entries with the fewest responses, if they fit in one block. For the
 * counting lease holder only (nothing else changes a list meanwhile). Old blocks are deleted after
 * the list no longer names them; a crash in between leaves them unreferenced.
 */
export async function mergeBlocks(
  statsId: string,
  assessmentId: string,
  list: string[],
): Promise<void> {
  if (list.length <= MAX_LIST) return;
  const entries = list.map(parseEntry);
  let best = -1;
  let bestRows = Infinity;
  for (let i = 0; i + MERGE_WINDOW <= entries.length; i++) {
    const rows = entries.slice(i, i + MERGE_WINDOW).reduce((s, e) => s + e.rows, 0);
    if (rows < bestRows) [best, bestRows] = [i, rows];
  }
  if (best < 0 || bestRows > BLOCK_ROWS) return;
  const window = entries.slice(best, best + MERGE_WINDOW);
  const sources = await readBlocks(window.map((e) => e.id));
  if (!sources) return; // a block is missing: leave the list as it is
  const w = new BlockWriter();
  for (const b of sources) decodeStored(b, (r) => w.add(r));
  const id = `${assessmentId}:m:${crypto.randomUUID()}`;
  const merged = w.finish();
  await insertBlocks([blockDoc(id, assessmentId, merged)]);
  const shortened = [
    ...list.slice(0, best),
    blockEntry(id, merged.rows, merged.details),
    ...list.slice(best + MERGE_WINDOW),
  ];
  await groupStatsCollection().updateOne({ _id: statsId }, { $set: { blocks: shortened } });
  for (const e of window) await answerBlocksCollection().deleteOne({ _id: e.id });
}

/** The blocks with these ids, in order, or null when one of them is gone. */
export async function readBlocks(ids: string[]): Promise<AnswerBlockDoc[] | null> {
  const out: AnswerBlockDoc[] = [];
  for (const id of ids) {
    const doc = await answerBlocksCollection().findOne({ _id: id });
    if (!doc) return null;
    out.push(doc);
  }
  return out;
}

/** A block's packed records (a Binary's buffer may be longer than its data). */
export function blockBytes(b: AnswerBlockDoc): Uint8Array {
  return b.data.buffer.subarray(0, b.data.position);
}

/** Calls `visit` with every record of a stored block. */
export function decodeStored(b: AnswerBlockDoc, visit: (r: BlockRecord) => void): number {
  return decodeBlock({ groups: b.groups, topics: b.topics, data: blockBytes(b) }, visit);
}

/** The group documents' block lists and counts, one primary-key read each, as one JSON text. */
async function readLists(assessmentId: string, groups: string[]) {
  const docs: { blocks?: string[]; responses?: number; batches?: string[] }[] = [];
  for (const g of groups) {
    const doc = await groupStatsCollection().findOne(
      { _id: groupStatsId(assessmentId, g) },
      { projection: { blocks: 1, responses: 1, batches: 1 } },
    );
    docs.push((doc as (typeof docs)[number] | null) ?? {});
  }
  return { docs, text: JSON.stringify(docs) };
}

/** How often blockIndex reads the lists again before it gives up (counting kept changing them). */
const SNAPSHOT_ATTEMPTS = 5;

/**
 * Where an assessment's answers are, as block ids, when the blocks hold exactly the counted
 * responses: their rows add up to the groups' response counts. Null otherwise (responses counted
 * before blocks existed, or a batch being applied right now): the caller then scans `responses`.
 *
 * The group documents are read one at a time, so counting may change one after it was read and
 * before the next is: two batches could then make the totals agree while a block is missing. So
 * the lists are read twice, and used only when the second reading equals the first: each document
 * was then unchanged from its first read to its second, so all of them held these values together
 * at the moment between the two readings.
 */
export async function blockIndex(
  assessmentId: string,
  groups: string[],
): Promise<{ ids: string[]; rows: number; details: boolean } | null> {
  let first = await readLists(assessmentId, groups);
  for (let attempt = 1; ; attempt++) {
    await hookPoint('blocks.betweenReadings');
    const second = await readLists(assessmentId, groups);
    if (second.text === first.text) break;
    if (attempt >= SNAPSHOT_ATTEMPTS) return null;
    first = second;
  }
  const ids: string[] = [];
  let rows = 0;
  let details = true;
  let responses = 0;
  for (const d of first.docs) {
    // A group's rows may be listed on another group's document (one block per batch and
    // assessment), so only the totals are compared.
    responses += d.responses ?? 0;
    for (const e of d.blocks ?? []) {
      const p = parseEntry(e);
      ids.push(p.id);
      rows += p.rows;
      details &&= p.details;
    }
  }
  return rows === responses ? { ids, rows, details } : null;
}

/**
 * Marks every block of an assessment as lacking details (its list entries lose their `d`), so
 * that exports scan `responses` instead. For an assessment whose response ids changed and whose
 * blocks cannot be rewritten (signed off); it must take no submissions meanwhile, as a signed-off
 * one does not, since each list is replaced whole.
 */
export async function forgetBlockDetails(assessmentId: string): Promise<void> {
  const docs = await groupStatsCollection()
    .find({ assessmentId }, { projection: { blocks: 1 } })
    .toArray();
  for (const d of docs) {
    const list = (d as { blocks?: string[] }).blocks ?? [];
    const plain = list.map((e) => {
      const p = parseEntry(e);
      return blockEntry(p.id, p.rows, false);
    });
    if (plain.some((e, i) => e !== list[i]))
      await groupStatsCollection().updateOne({ _id: d._id }, { $set: { blocks: plain } });
  }
}
