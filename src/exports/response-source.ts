import { BSON } from 'mongodb';
import { hookPoint } from '../db/faults';
import type { Assessment } from '../assessments/model/assessment.types';
import { responsesCollection } from '../responses/response.model';
import { BlockReader } from '../results/tallies/answer-codec';
import { answerBlocksCollection, blockBytes, blockIndex } from '../results/tallies/answer-blocks';
import { settleCounting } from '../results/tallies/counter';
import type { ResponseRecord } from './tables';

/** Responses per `getMore`: each is a short command, so submissions interleave with an export. */
const PAGE = 500;
/**
 * Rows are written in blocks of this many stored responses, each block in the order of a key that
 * reveals nothing (orderKey). Storage order is submission order, which must not show in an export;
 * an assessment of up to this many responses is ordered as a whole. Two blocks are held at a time
 * (the one being written and the one being read), a few MB each.
 */
export const ORDER_BLOCK = 5000;

const PROJECTION = {
  _id: 1,
  group: 1,
  lang: 1,
  submittedAt: 1,
  durationMs: 1,
  userAgentClass: 1,
  answers: 1,
} as const;

/**
 * The sort key of a response: its id without the kind prefix. Ids are random or keyed hashes
 * (`p_` + the keyed link reference, `o_` + a hash of the client's random submission id, or random
 * bytes), so this order says nothing about when a response came, nor whether it came through a
 * personal or an open link (the prefix would group those).
 */
export const orderKey = (id: string): string => (/^[po]_/.test(id) ? id.slice(2) : id);

/** A response held in a block: its sort key and its BSON bytes (a slice of the driver's reply). */
type Held = [key: string, bson: Buffer];
const byKey = (a: Held, b: Held) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const BSON_OPTIONS = { promoteBuffers: false } as const;

/**
 * The assessment's responses for an export: read with the native driver (no document hydration) and
 * a projection, in pages of PAGE; the next block is read while the current one is written, so the
 * database's scan and the writing overlap. Blocks are held as raw BSON, decoded as each row is
 * written: thousands of decoded documents (an object and two strings per answer) outlived V8's
 * young-generation collections and doubled the export's peak memory; bytes in a buffer do not, and
 * the objects decoded for one row die young. An export is the one place that scans responses.
 */
export async function* responseCursor(
  assessmentId: string,
  block = ORDER_BLOCK,
): AsyncGenerator<ResponseRecord> {
  const cursor = responsesCollection().find(
    { assessmentId },
    { projection: PROJECTION, batchSize: PAGE, raw: true },
  );
  const readBlock = async (): Promise<Held[]> => {
    const held: Held[] = [];
    while (held.length < block && (await cursor.hasNext())) {
      for (const d of cursor.readBufferedDocuments(block - held.length)) {
        const bson = d as unknown as Buffer;
        const id = String((BSON.deserialize(bson, BSON_OPTIONS) as { _id: unknown })._id);
        held.push([orderKey(id), bson]);
      }
    }
    return held;
  };
  let next = readBlock();
  try {
    for (;;) {
      const held = await next;
      if (!held.length) return;
      next = held.length < block ? Promise.resolve([]) : readBlock();
      // A consumer that stops early must not leave a rejected read unhandled.
      next.catch(() => undefined);
      held.sort(byKey);
      for (let i = 0; i < held.length; i++) {
        const doc = BSON.deserialize(held[i]![1], BSON_OPTIONS) as ResponseRecord;
        held[i] = ['', EMPTY]; // let the bytes go as soon as the row is made
        yield doc;
      }
    }
  } finally {
    await next.catch(() => undefined);
    await cursor.close();
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Above this many responses an export scans `responses` (in ORDER_BLOCK chunks) instead of
 * reading the blocks. Read from blocks, the rows are ordered as a whole: the block lists run group
 * by group, so chunks of them would keep groups apart, and small groups labelled together would
 * be told apart by their chunk. Held in memory meanwhile: the packed blocks (about 100 bytes a
 * response) and a sort key per response, some 25 MB at 100,000.
 */
export const MAX_SORTED = 250_000;

/**
 * The responses an export writes: from the assessment's answer blocks when they hold every counted
 * response with its details (a primary-key read per 2,000 responses; see README, "Exports read the
 * answer blocks"), all of them ordered by orderKey; else by scanning `responses` (responseCursor):
 * blocks written before details existed, counters that disagree with the blocks even after
 * counting settles, more than MAX_SORTED responses, or blocks that kept changing while read.
 */
export async function* exportResponses(
  a: Assessment,
  block = ORDER_BLOCK,
): AsyncGenerator<ResponseRecord> {
  const readers = await readAllBlocks(a);
  if (!readers) {
    yield* responseCursor(a._id, block);
    return;
  }
  const order: [key: string, reader: number, row: number][] = [];
  readers.forEach((r, ri) =>
    r.offsets.forEach((_, row) => {
      const id = r.idAt(row);
      if (id === undefined) throw new Error('answer block: a record without its details');
      order.push([orderKey(id), ri, row]);
    }),
  );
  order.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  for (const [, ri, row] of order) yield readers[ri]!.recordAt(row) as unknown as ResponseRecord;
}

async function detailedIndex(a: Assessment) {
  const codes = a.groups.map((g) => g.code);
  let index = await blockIndex(a._id, codes);
  if (!index) {
    // A batch being applied right now makes the sums disagree for a moment: let it finish once.
    await settleCounting();
    index = await blockIndex(a._id, codes);
  }
  return index?.details && index.rows <= MAX_SORTED ? index : null;
}

/** How many times an export reads the block list again when a block was merged away meanwhile. */
const BLOCK_ATTEMPTS = 3;

/**
 * Every listed block, read before any row is written. Counting goes on during an export and may
 * merge blocks away between reading the list and reading them: the list is then read again, and
 * after BLOCK_ATTEMPTS the export scans instead (null).
 */
async function readAllBlocks(a: Assessment): Promise<BlockReader[] | null> {
  for (let attempt = 1; attempt <= BLOCK_ATTEMPTS; attempt++) {
    const index = await detailedIndex(a);
    if (!index) return null;
    const readers: BlockReader[] = [];
    for (const id of index.ids) {
      await hookPoint('export.readBlock');
      const doc = await answerBlocksCollection().findOne({ _id: id });
      if (!doc) break;
      readers.push(
        new BlockReader({ groups: doc.groups, topics: doc.topics, data: blockBytes(doc) }),
      );
    }
    if (readers.length === index.ids.length) return readers;
  }
  return null;
}
