import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { orderKey, responseCursor } from '../../src/exports/response-source';
import type { ResponseRecord } from '../../src/exports/tables';
import { useTestDb } from '../helpers/db';

useTestDb();

// Rows of a response export must not come in storage order, which is submission order.

const responses = () => mongoose.connection.collection<Record<string, unknown>>('responses');

/** Stores `n` responses of one assessment, one at a time (storage order = this order). */
async function store(assessmentId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    // The three id shapes: a personal link's, an open link's with a submissionId, a random one.
    const hex = crypto.randomBytes(16).toString('hex');
    const id = i % 3 === 0 ? `p_${hex}` : i % 3 === 1 ? `o_${hex}` : hex.slice(0, 24);
    ids.push(id);
    await responses().insertOne({
      _id: id as never,
      assessmentId,
      group: 'A',
      linkRef: 'x',
      kind: id.startsWith('p_') ? 'personal' : 'open',
      answers: [{ instrument: 'impact', topic: 'T', significance: 1 + (i % 5) }],
      lang: 'en',
      submittedAt: new Date(Date.UTC(2025, 0, 1, 0, i)),
      durationMs: 1000 * i,
      userAgentClass: 'desktop',
    });
  }
  return ids;
}

const read = async (assessmentId: string, block?: number) => {
  const out: ResponseRecord[] = [];
  for await (const d of responseCursor(assessmentId, block)) out.push(d);
  return out;
};

describe('the order of exported responses', () => {
  it('is the order of the id without its kind prefix, not the order of storage', async () => {
    const stored = await store('order-a', 30);
    await store('order-other', 5);
    const rows = await read('order-a');
    expect(rows.map((r) => String(r._id)).sort()).toEqual([...stored].sort());
    const keys = rows.map((r) => orderKey(String(r._id)));
    expect(keys).toEqual([...keys].sort());
    expect(rows.map((r) => String(r._id))).not.toEqual(stored);
    // Personal and open ids are interleaved, not grouped by their prefix.
    const kinds = rows.map((r) => String(r._id).slice(0, 2)).join(' ');
    expect(kinds).not.toMatch(/^(p_ ){10}/);
    // Only the projected fields are read (no link reference, no kind).
    const [first] = rows;
    expect(Object.keys(first!).sort()).toEqual(
      ['_id', 'answers', 'durationMs', 'group', 'lang', 'submittedAt', 'userAgentClass'].sort(),
    );
  });

  it('orders blocks of stored responses when there are more than a block, and reads every one once', async () => {
    const stored = await store('order-b', 23);
    const rows = await read('order-b', 5);
    expect(rows).toHaveLength(23);
    expect(new Set(rows.map((r) => String(r._id)))).toEqual(new Set(stored));
    for (let b = 0; b < 23; b += 5) {
      const block = rows.slice(b, b + 5);
      // Each block holds the same responses as the stored block, in key order.
      expect(block.map((r) => r._id).sort()).toEqual(stored.slice(b, b + 5).sort());
      const keys = block.map((r) => orderKey(String(r._id)));
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('closes the database cursor when the reader stops early', async () => {
    await store('order-c', 12);
    let n = 0;
    for await (const _ of responseCursor('order-c', 4)) if (++n === 6) break;
    expect(n).toBe(6);
    expect(await read('order-c', 4)).toHaveLength(12);
  });
});
