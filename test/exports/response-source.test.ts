import mongoose from 'mongoose';
import { clearHookPoints, onHookPoint } from '../../src/db/faults';
import type { Assessment } from '../../src/assessments/model/assessment.types';
import { exportResponses, orderKey } from '../../src/exports/response-source';
import type { ResponseRecord } from '../../src/exports/tables';
import {
  blockDoc,
  blockEntry,
  encodeRecords,
  insertBlocks,
  mergeBlocks,
} from '../../src/results/tallies/answer-blocks';
import type { BlockRecord } from '../../src/results/tallies/answer-codec';
import { groupStatsCollection } from '../../src/results/tallies/group-stats.model';
import { settleCounting } from '../../src/results/tallies/counter';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { asBuffer } from './binary';
import { exportFixture } from './fixtures';

// An export reads the responses from the answer blocks (a primary-key read per block) when they
// hold every counted response with its details, else it scans `responses`: both give the same rows.

useTestDb();
afterEach(clearHookPoints);
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const db = () => mongoose.connection;

describe('the responses an export writes', () => {
  it('come from the answer blocks, byte for byte what a scan of the responses gives', async () => {
    const fx = await exportFixture(app);
    await settleCounting();
    const csv = async () =>
      (await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/responses.csv?lang=zh-Hant`)))
        .body as Buffer;
    const fromBlocks = await csv();
    expect(fromBlocks.toString('utf8').trim().split('\r\n')).toHaveLength(2 + fx.responses); // two header rows

    // Lists as an earlier version wrote them (no details mark): the export scans the responses.
    const stats = await groupStatsCollection().find({ assessmentId: fx.id }).toArray();
    const unmark = (l?: string[]) => l?.map((e) => e.replace(/^(\d+)d\//, '$1/'));
    for (const s of stats)
      await groupStatsCollection().updateOne(
        { _id: s._id },
        { $set: { blocks: unmark(s.blocks) } },
      );
    expect((await csv()).equals(fromBlocks)).toBe(true);

    // With the marks back and the responses gone, the rows still come: they are the blocks'.
    for (const s of stats)
      await groupStatsCollection().updateOne({ _id: s._id }, { $set: { blocks: s.blocks } });
    const stored = await db().collection('responses').find({ assessmentId: fx.id }).toArray();
    await db().collection('responses').deleteMany({ assessmentId: fx.id });
    expect((await csv()).equals(fromBlocks)).toBe(true);

    // Counters that disagree with the blocks: the export scans (and finds no responses now).
    await groupStatsCollection().updateOne({ _id: stats[0]!._id }, { $inc: { responses: 1 } });
    expect((await csv()).toString('utf8').trim().split('\r\n')).toHaveLength(2);
    await db().collection('responses').insertMany(stored);
  });
});

describe('reading the answer blocks for an export', () => {
  const assessmentId = 'source-test';
  const a = { _id: assessmentId, groups: [{ code: 'users' }] } as unknown as Assessment;
  const statsId = `${assessmentId}:users`;
  const record = (i: number): BlockRecord => ({
    _id: i % 2 ? `p_${(i * 7919).toString(36)}` : `o_${(i * 104729).toString(36)}`,
    group: 'users',
    answers: [{ instrument: 'impact', topic: 'climate', significance: (i % 5) + 1 }],
    lang: 'en',
    submittedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    durationMs: i * 1000,
    userAgentClass: 'mobile',
  });
  const records = Array.from({ length: 30 }, (_, i) => record(i));

  beforeEach(async () => {
    await db().collection('answerblocks').deleteMany({ assessmentId });
    // One block per response, as counting writes them one submission at a time.
    const docs = records.map((r, i) =>
      blockDoc(`${assessmentId}:b${i}`, assessmentId, encodeRecords([r])[0]!),
    );
    await insertBlocks(docs);
    await groupStatsCollection().replaceOne(
      { _id: statsId },
      {
        assessmentId,
        group: 'users',
        responses: records.length,
        blocks: docs.map((d) => blockEntry(d._id, d.rows, true)),
      },
      { upsert: true },
    );
  });

  const read = async (block: number, during?: (n: number) => void) => {
    const out: ResponseRecord[] = [];
    for await (const r of exportResponses(a, block)) {
      out.push(r);
      during?.(out.length);
    }
    return out;
  };

  /** Every response once, with its details, all in key order. */
  function expectRows(rows: ResponseRecord[]) {
    expect(rows.map((r) => r._id).sort()).toEqual(records.map((r) => r._id).sort());
    const byId = new Map(records.map((r) => [r._id, r]));
    for (const r of rows) expect(r).toEqual(byId.get(r._id));
    const keys = rows.map((r) => orderKey(String(r._id)));
    expect(keys).toEqual([...keys].sort());
  }

  it('orders all the rows by a key that says nothing of when a response came', async () => {
    const rows = await read(4);
    expectRows(rows);
    // Not in storage (submission) order.
    expect(rows.map((r) => r._id)).not.toEqual(records.map((r) => r._id));
  });

  it('reads the list again when counting merged blocks away meanwhile, and writes each response once', async () => {
    let reads = 0;
    let merged = false;
    onHookPoint(
      'export.readBlock',
      async () => {
        // After four blocks are read, blocks 0-7 are merged into one (blocks 4-7 are then gone).
        if (++reads !== 5) return;
        const list = (await groupStatsCollection().findOne({ _id: statsId }))!.blocks!;
        await mergeBlocks(statsId, assessmentId, list);
        merged = true;
      },
      100,
    );
    const rows = await read(2);
    expect(merged).toBe(true);
    expect(await db().collection('answerblocks').countDocuments({ assessmentId })).toBe(30 - 8 + 1);
    expectRows(rows);
  });

  it('scans the responses when the blocks keep changing under it', async () => {
    await db()
      .collection('responses')
      .insertMany(
        records.map((r) => ({ ...r, assessmentId, kind: 'open', linkRef: 'x' })) as never,
      );
    onHookPoint(
      'export.readBlock',
      async () => {
        await db()
          .collection('answerblocks')
          .deleteOne({ _id: `${assessmentId}:b29` as never });
      },
      100,
    );
    const rows = await read(40);
    expectRows(rows);
    await db().collection('responses').deleteMany({ assessmentId });
  });
});
