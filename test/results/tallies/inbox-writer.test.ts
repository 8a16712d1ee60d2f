import mongoose from 'mongoose';
import { clearHookPoints, onHookPoint } from '../../../src/db/faults';
import type { InboxDoc } from '../../../src/results/tallies/inbox.model';
import { insertIntoInbox } from '../../../src/results/tallies/inbox-writer';
import { groupedInsert } from '../../../src/db/grouped-insert';
import { clearCollections, useTestDb } from '../../helpers/db';

// Group commit of submissions into the inbox, against the embedded database: concurrent inserts
// share a command, and each caller learns its own outcome only.

useTestDb();
const inbox = () => mongoose.connection.collection('inbox');

const entry = (id: string, nonce = 'n1'): InboxDoc =>
  ({
    _id: id,
    assessmentId: 'a1',
    group: 'users',
    linkRef: 'ref',
    kind: 'open',
    answers: [],
    lang: 'en',
    startedAt: new Date(),
    submittedAt: new Date(),
    durationMs: null,
    userAgentClass: 'desktop',
    nonce,
  }) as unknown as InboxDoc;

/** Counts the writes the inserter sends from now on. */
function countWrites(): { writes: number } {
  const seen = { writes: 0 };
  onHookPoint(
    'inbox.beforeWrite',
    () => {
      seen.writes++;
      return Promise.resolve();
    },
    1_000_000,
  );
  return seen;
}

afterEach(async () => {
  clearHookPoints();
  await clearCollections('inbox');
});

describe('insertIntoInbox', () => {
  it('sends a lone submission at once, and concurrent ones together in one write', async () => {
    const seen = countWrites();
    expect(await insertIntoInbox(entry('lone'))).toBe('inserted');
    expect(seen.writes).toBe(1);
    // The first of 30 may go alone; the rest, arriving while it is written, go in one command.
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => insertIntoInbox(entry(`c${i}`))),
    );
    expect(outcomes).toEqual(Array(30).fill('inserted'));
    expect(seen.writes - 1).toBeLessThanOrEqual(2);
    expect(await inbox().countDocuments({})).toBe(31);
  });

  it('answers duplicate to exactly the callers whose id is taken, in the same write or before', async () => {
    await insertIntoInbox(entry('taken', 'first'));
    const outcomes = await Promise.all([
      insertIntoInbox(entry('a')),
      insertIntoInbox(entry('taken', 'second')),
      insertIntoInbox(entry('b', 'b1')),
      insertIntoInbox(entry('b', 'b2')),
      insertIntoInbox(entry('c')),
    ]);
    expect(outcomes).toEqual(['inserted', 'duplicate', 'inserted', 'duplicate', 'inserted']);
    const stored = await inbox()
      .find({}, { projection: { nonce: 1 } })
      .toArray();
    expect(Object.fromEntries(stored.map((d) => [d._id, d.nonce]))).toEqual({
      taken: 'first',
      a: 'n1',
      b: 'b1',
      c: 'n1',
    });
  });

  it('fails every caller of a write that fails, and the writes queued behind it still go', async () => {
    const first = insertIntoInbox(entry('blocker')); // under way while the next two queue
    let behind: Promise<string> | undefined;
    onHookPoint('inbox.beforeWrite', () => {
      behind = insertIntoInbox(entry('z')); // queued while the failing write is under way
      return Promise.reject(new Error('connection lost'));
    });
    const failed = [insertIntoInbox(entry('x')), insertIntoInbox(entry('y'))];
    await expect(first).resolves.toBe('inserted');
    for (const f of failed) await expect(f).rejects.toThrow('connection lost');
    expect(behind).toBeDefined();
    expect(await behind).toBe('inserted');
    const ids = (await inbox().find({}).toArray()).map((d) => d._id).sort();
    expect(ids).toEqual(['blocker', 'z']);
  });

  it('fails only the caller whose document the server refused for another reason', async () => {
    const insert = groupedInsert(
      () => mongoose.connection.collection<{ _id: string }>('grouped'),
      'grouped.beforeWrite',
    );
    await insert({ _id: 'g0' });
    const outcomes = await Promise.allSettled([
      insert({ _id: 'g1' }),
      insert({ _id: 'g0' }),
      insert({ _id: 'g2', $bad: 1 } as never),
      insert({ _id: 'g3' }),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'))).toEqual([
      'inserted',
      'duplicate',
      'failed',
      'inserted',
    ]);
    await mongoose.connection.collection('grouped').drop();
  });
});
