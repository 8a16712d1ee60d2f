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
  BlockReader,
  BlockWriter,
  decodeBlock,
  type BlockRecord,
} from '../../../src/results/tallies/answer-codec';
import { clearHookPoints, onHookPoint } from '../../../src/db/faults';
import { groupStatsCollection } from '../../../src/results/tallies/group-stats.model';
import { DEVICE_CLASSES } from '../../../src/responses/response.model';
import { LANGS } from '../../../src/shared/i18n';
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

// What the Responses sheet prints besides the answers (answer-details.ts).
const detailed = (i: number): BlockRecord => ({
  ...record(i),
  _id: i % 5 === 0 ? `p_${'é'.repeat(20)}${i}` : `o_${i.toString(16).padStart(24, '0')}`,
  lang: i % 4 === 3 ? null : LANGS[i % LANGS.length]!,
  submittedAt: new Date(Date.UTC(2026, 3, 1, 8, 0, i, 123)),
  durationMs: i % 3 === 0 ? null : i * 1000 + 7,
  userAgentClass: i % 7 === 6 ? null : DEVICE_CLASSES[i % DEVICE_CLASSES.length]!,
});

function encode(records: BlockRecord[]) {
  const w = new BlockWriter();
  records.forEach((r) => w.add(r));
  return w.finish();
}

describe('answer codec: response details', () => {
  it('gives back each response id, time, duration, language and device, compactly', () => {
    const records = Array.from({ length: 60 }, (_, i) => detailed(i));
    expect(roundTrip(records)).toEqual(records);
    const block = encode(records);
    expect(block.details).toBe(true);
    // Compact entries (about 26 bytes of details each), not BSON (several hundred bytes each).
    expect(block.data.byteLength).toBeLessThan(records.length * 120);
  });

  it('reads an absent detail back as null (the export prints both as an empty cell)', () => {
    const r: BlockRecord = { ...record(1), _id: 'o_1', lang: undefined, durationMs: undefined };
    expect(roundTrip([r])).toEqual([
      {
        ...record(1),
        _id: 'o_1',
        lang: null,
        submittedAt: null,
        durationMs: null,
        userAgentClass: null,
      },
    ]);
  });

  it('keeps details that do not fit the compact form exactly, as BSON', () => {
    const odd: BlockRecord[] = [
      { ...detailed(1), lang: 'fr' },
      { ...detailed(2), userAgentClass: 'toaster' },
      { ...detailed(4), durationMs: 12.5 },
      { ...detailed(7), durationMs: -3 },
      { ...detailed(8), durationMs: 2 ** 33 },
      { ...detailed(10), _id: 'x'.repeat(300) },
      { ...detailed(11), submittedAt: '2026-04-01T08:00:00.000Z' },
    ];
    expect(roundTrip(odd)).toEqual(odd);
    expect(encode(odd).details).toBe(true);
  });

  it('says a block lacks details when one record has no id (blocks of earlier versions have none)', () => {
    expect(encode([detailed(1), record(2), detailed(3)]).details).toBe(false);
    expect(encode([]).details).toBe(true);
  });

  it('leaves details out when decoding into shared objects (the analytics read none)', () => {
    const seen: BlockRecord[] = [];
    decodeBlock(encode([detailed(1), detailed(2)]), (r) => seen.push({ ...r }), { reuse: true });
    expect(seen.map((r) => r._id)).toEqual([undefined, undefined]);
    expect(seen.map((r) => r.group)).toEqual([detailed(1).group, detailed(2).group]);
  });

  it('reads records by position, and their ids alone, as decoding the whole block does', () => {
    const records = [
      ...Array.from({ length: 30 }, (_, i) => detailed(i)),
      { ...detailed(31), lang: 'fr' }, // kept as BSON
      record(32), // no details
    ];
    const block = encode(records);
    const reader = new BlockReader(block);
    const all: BlockRecord[] = [];
    decodeBlock(block, (r) => all.push(r));
    expect(reader.offsets).toHaveLength(records.length);
    expect(reader.offsets.map((_, i) => reader.recordAt(i))).toEqual(all);
    expect(reader.offsets.map((_, i) => reader.idAt(i))).toEqual(records.map((r) => r._id));
  });
});

describe('answer blocks', () => {
  const assessmentId = 'blocktest';
  const statsId = `${assessmentId}:users`;

  it('merges a long list of small blocks into one, in order, and deletes the merged ones', async () => {
    const records = Array.from({ length: 30 }, (_, i) => detailed(i));
    const docs = records.map((r, i) =>
      blockDoc(`${assessmentId}:b${i}`, assessmentId, encodeRecords([r])[0]!),
    );
    await insertBlocks(docs);
    const list = docs.map((d) => blockEntry(d._id, d.rows, true));
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
      details: true,
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
    expect(merged).toEqual([expect.objectContaining({ details: true })]);
    expect(index.details).toBe(true);
    const gone = list
      .map(parseEntry)
      .filter((e) => !after.includes(blockEntry(e.id, e.rows, e.details)));
    expect(gone).toHaveLength(8);
    for (const e of gone) expect(await answerBlocksCollection().findOne({ _id: e.id })).toBeNull();
  });

  it('says whether every listed block carries details, from the list alone', async () => {
    expect(parseEntry('12d/a:b/c')).toEqual({ rows: 12, id: 'a:b/c', details: true });
    expect(parseEntry('12/a:b')).toEqual({ rows: 12, id: 'a:b', details: false });
    const blocks = (await groupStatsCollection().findOne({ _id: statsId }))!.blocks!;
    // A block an earlier version wrote is listed without the mark.
    const legacy = blocks.map((e, i) => (i === 3 ? e.replace('d/', '/') : e));
    await groupStatsCollection().updateOne({ _id: statsId }, { $set: { blocks: legacy } });
    expect((await blockIndex(assessmentId, ['users']))?.details).toBe(false);
    await groupStatsCollection().updateOne({ _id: statsId }, { $set: { blocks } });
    expect((await blockIndex(assessmentId, ['users']))?.details).toBe(true);
  });

  it('uses the lists only as they stood at one moment: a change between its two readings makes it read again', async () => {
    const saved = (await groupStatsCollection().findOne({ _id: statsId }))!;
    const before = (await blockIndex(assessmentId, ['users']))!;
    const late = `${assessmentId}:late`;
    onHookPoint('blocks.betweenReadings', async () => {
      // Counting applies a batch meanwhile: one more block, of one response.
      await insertBlocks([blockDoc(late, assessmentId, encodeRecords([detailed(99)])[0]!)]);
      await groupStatsCollection().updateOne(
        { _id: statsId },
        { $push: { blocks: blockEntry(late, 1, true) }, $inc: { responses: 1 } },
      );
    });
    expect(await blockIndex(assessmentId, ['users'])).toEqual({
      ids: [...before.ids, late],
      rows: before.rows + 1,
      details: true,
    });
    // Lists that change at every reading give no index (the caller scans).
    onHookPoint(
      'blocks.betweenReadings',
      async () => {
        await groupStatsCollection().updateOne({ _id: statsId }, { $push: { batches: 'b' } });
      },
      10,
    );
    expect(await blockIndex(assessmentId, ['users'])).toBeNull();
    clearHookPoints();
    await groupStatsCollection().replaceOne({ _id: statsId }, saved);
    await answerBlocksCollection().deleteOne({ _id: late });
  });

  it('says the blocks are incomplete when their rows do not add up to the counted responses', async () => {
    await groupStatsCollection().updateOne({ _id: statsId }, { $inc: { responses: 1 } });
    expect(await blockIndex(assessmentId, ['users'])).toBeNull();
    await mongoose.connection.collection('groupstats').deleteOne({ _id: statsId as never });
  });
});
