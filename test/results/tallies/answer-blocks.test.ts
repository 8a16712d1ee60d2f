import mongoose from 'mongoose';
import { BSON } from 'mongodb';
import {
  answerBlocksCollection,
  blockDoc,
  blockEntry,
  blockIndex,
  decodeStored,
  encodeRecords,
  insertBlocks,
  mergeBlocks,
  parseEntry,
  readBlocks,
} from '../../../src/results/tallies/answer-blocks';
import {
  BlockWriter,
  decodeBlock,
  type BlockRecord,
} from '../../../src/results/tallies/answer-codec';
import { groupStatsCollection } from '../../../src/results/tallies/group-stats.model';
import { useTestDb } from '../../helpers/db';

// The packed answers the analytics read (answer-codec.ts) and their blocks (answer-blocks.ts).

useTestDb();

const record = (i: number): BlockRecord => ({
  group: i % 3 ? 'users' : '__proto__',
  answers: [
    {
      instrument: 'impact',
      topic: 'climate',
      scale: (i % 5) + 1,
      scope: null,
      irremediability: 2,
      likelihood: 4,
    },
    { instrument: 'financial', topic: 'constructor', magnitude: 5, likelihood: null },
    { instrument: 'impact', topic: `t${i % 7}`, significance: 3 },
  ],
  ...(i % 4 === 0 ? { flags: ['straightLining'] as const } : {}),
  ...(i % 6 === 0 ? { flags: ['straightLining', 'speeder'] as const } : {}),
});

function roundTrip(records: BlockRecord[]): BlockRecord[] {
  const w = new BlockWriter();
  records.forEach((r) => w.add(r));
  const out: BlockRecord[] = [];
  expect(decodeBlock(w.finish(), (r) => out.push(r))).toBe(records.length);
  return out;
}

describe('answer codec', () => {
  it('gives back every record as it was: values, nulls, absent criteria, flags, prototype-named codes', () => {
    const records = Array.from({ length: 50 }, (_, i) => record(i));
    expect(roundTrip(records)).toEqual(records);
  });

  it('decodes into shared objects on request, each record right while it is visited', () => {
    const records = Array.from({ length: 40 }, (_, i) => record(i));
    const w = new BlockWriter();
    records.forEach((r) => w.add(r));
    const seen: string[] = [];
    const answerArrays = new Set<unknown>();
    decodeBlock(
      w.finish(),
      (r) => {
        seen.push(JSON.stringify(r));
        answerArrays.add(r.answers);
      },
      { reuse: true },
    );
    expect(seen).toEqual(roundTrip(records).map((r) => JSON.stringify(r)));
    expect(answerArrays.size).toBeLessThan(records.length); // one array per layout, not per record
  });

  it('is several times smaller than BSON for a typical response', () => {
    const records = Array.from({ length: 100 }, (_, i) => record(i));
    const w = new BlockWriter();
    records.forEach((r) => w.add(r));
    const bson = records.reduce((s, r) => s + BSON.serialize(r).byteLength, 0);
    expect(w.finish().data.byteLength * 4).toBeLessThan(bson);
  });

  it('keeps what does not fit the compact form exactly, as BSON (values outside 1-5, unknown keys or flags)', () => {
    const odd: BlockRecord[] = [
      { group: 'g', answers: [{ instrument: 'impact', topic: 'a', scale: 7 }] },
      { group: 'g', answers: [{ instrument: 'impact', topic: 'b', scale: 2.5 }] },
      { group: 'g', answers: [{ instrument: 'impact', topic: 'c', extra: 1 } as never] },
      { group: 'g', answers: [], flags: ['mystery' as never] },
      record(1),
    ];
    expect(roundTrip(odd)).toEqual(odd);
    // A record kept as BSON takes no codes into the tables.
    const w = new BlockWriter();
    odd.slice(0, 4).forEach((r) => w.add(r));
    expect(w.finish()).toMatchObject({ rows: 4, groups: [], topics: [] });
  });
});

describe('answer blocks', () => {
  const assessmentId = 'blocktest';
  const statsId = `${assessmentId}:users`;

  it('merges a long list of small blocks into one, in order, and deletes the merged ones', async () => {
    const records = Array.from({ length: 30 }, (_, i) => record(i));
    const docs = records.map((r, i) =>
      blockDoc(`${assessmentId}:b${i}`, assessmentId, encodeRecords([r])[0]!),
    );
    await insertBlocks(docs);
    const list = docs.map((d) => blockEntry(d._id, d.rows));
    await groupStatsCollection().insertOne({
      _id: statsId,
      assessmentId,
      group: 'users',
      responses: 30,
      blocks: list,
    });
    expect(await blockIndex(assessmentId, ['users'])).toEqual({
      ids: docs.map((d) => d._id),
      rows: 30,
    });

    await mergeBlocks(statsId, assessmentId, list);

    const after = (await groupStatsCollection().findOne({ _id: statsId }))!.blocks!;
    expect(after).toHaveLength(30 - 8 + 1);
    const index = (await blockIndex(assessmentId, ['users']))!;
    expect(index.rows).toBe(30);
    const read: BlockRecord[] = [];
    for (const b of (await readBlocks(index.ids))!) decodeStored(b, (r) => read.push(r));
    expect(read).toEqual(records);
    const merged = after.map(parseEntry).filter((e) => e.rows === 8);
    expect(merged).toHaveLength(1);
    const gone = list.map(parseEntry).filter((e) => !after.includes(blockEntry(e.id, e.rows)));
    expect(gone).toHaveLength(8);
    for (const e of gone) expect(await answerBlocksCollection().findOne({ _id: e.id })).toBeNull();
  });

  it('says the blocks are incomplete when their rows do not add up to the counted responses', async () => {
    await groupStatsCollection().updateOne({ _id: statsId }, { $inc: { responses: 1 } });
    expect(await blockIndex(assessmentId, ['users'])).toBeNull();
    await mongoose.connection.collection('groupstats').deleteOne({ _id: statsId as never });
  });
});
