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
 * The responses an export writes: from the assessment's answer blocks when they hold every counted
 * response with its details (a primary-key read per 2,000 responses; see README, "Exports at
 * scale"), else by scanning `responses` (responseCursor): blocks written before details existed,
 * or counters that disagree with the blocks even after counting settles. Rows come in chunks of
 * at least ORDER_BLOCK responses (whole blocks), each chunk ordered by orderKey, as a scan's are.
 */
export async function* exportResponses(
  a: Assessment,
  block = ORDER_BLOCK,
): AsyncGenerator<ResponseRecord> {
  const index = await detailedIndex(a);
  if (!index) yield* responseCursor(a._id, block);
  else yield* fromBlocks(a, index, block);
}

async function detailedIndex(a: Assessment): Promise<string[] | null> {
  const codes = a.groups.map((g) => g.code);
  let index = await blockIndex(a._id, codes);
  if (!index) {
    // A batch being applied right now makes the sums disagree for a moment: let it finish once.
    await settleCounting();
    index = await blockIndex(a._id, codes);
  }
  return index?.details ? index.ids : null;
}

/** How many times an export reads the block list again when a block was merged away meanwhile. */
const BLOCK_ATTEMPTS = 3;

/** Blocks read until they hold at least `block` responses (null: one of them is gone). */
async function readChunk(ids: string[], from: number, block: number) {
  await hookPoint('export.readChunk');
  const readers: BlockReader[] = [];
  let rows = 0;
  let next = from;
  while (next < ids.length && rows < block) {
    const doc = await answerBlocksCollection().findOne({ _id: ids[next]! });
    if (!doc) return null;
    const r = new BlockReader({ groups: doc.groups, topics: doc.topics, data: blockBytes(doc) });
    readers.push(r);
    rows += r.offsets.length;
    next++;
  }
  return { readers, next };
}

/**
 * The rows of the listed blocks, the next chunk read while the current one is written. A block
 * merged away between reading the list and reading it (counting goes on during an export) makes
 * it read the list again and go on from its start, leaving out the responses already written.
 */
async function* fromBlocks(
  a: Assessment,
  first: string[],
  block: number,
): AsyncGenerator<ResponseRecord> {
  const written = new Set<string>();
  let ids = first;
  for (let attempt = 1; ; attempt++) {
    let next = readChunk(ids, 0, block);
    let complete = false;
    try {
      for (;;) {
        const chunk = await next;
        if (!chunk) break;
        if (!chunk.readers.length) {
          complete = true;
          break;
        }
        next = readChunk(ids, chunk.next, block);
        // A consumer that stops early must not leave a rejected read unhandled.
        next.catch(() => undefined);
        const order: [key: string, reader: number, row: number][] = [];
        chunk.readers.forEach((r, ri) =>
          r.offsets.forEach((_, row) => {
            const id = r.idAt(row);
            if (id === undefined) throw new Error('answer block: a record without its details');
            if (!written.has(id)) order.push([orderKey(id), ri, row]);
          }),
        );
        order.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
        for (const [, ri, row] of order) {
          const doc = chunk.readers[ri]!.recordAt(row) as unknown as ResponseRecord;
          written.add(doc._id);
          yield doc;
        }
      }
    } finally {
      await next.catch(() => undefined);
    }
    if (complete) return;
    const index = attempt < BLOCK_ATTEMPTS ? await detailedIndex(a) : null;
    if (!index) throw new Error('export: the answer blocks changed while they were read');
    ids = index;
  }
}
