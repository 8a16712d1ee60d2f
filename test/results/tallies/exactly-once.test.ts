import crypto from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { armFault, disarmFaults } from '../../../src/db/faults';
import { blockIndex, decodeStored, readBlocks } from '../../../src/results/tallies/answer-blocks';
import { countingBehind, countNow, countSoon } from '../../../src/results/tallies/counter';
import { rebuildTallies } from '../../../src/results/tallies/rebuild.service';
import { getStats } from '../../../src/results/tallies/tally.service';
import { apiClient, fullAnswers } from '../../helpers/api';
import { makeApp } from '../../helpers/app';
import { useTestDb } from '../../helpers/db';

// Every stored response is counted exactly once, whatever fails between the writes of the
// submission and counting path: each fault point below throws once, then counting resumes.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '10000' });
const db = () => mongoose.connection;

async function openAssessment() {
  const api = await apiClient(app, 'analyst');
  const id = (
    await api.post('/api/v1/assessments', {
      name: 'Exactly once',
      reportingYear: 2026,
      template: 'xiaomi-2024',
    })
  ).body.id as string;
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const open = async (group: string) =>
    (await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind: 'open' })).body[0]
      .token as string;
  const tokens = { users: await open('users'), employees: await open('employees') };
  const survey = (await request(app).get(`/api/v1/survey/${tokens.users}`)).body;
  return { api, id, tokens, answers: (k: number) => fullAnswers(survey, (i) => ((i + k) % 5) + 1) };
}

/** What the counters say, and what a full recomputation from the stored responses says. */
async function countersAndTruth(id: string) {
  const counted = await getStats(id);
  await rebuildTallies(id);
  const truth = await getStats(id);
  const strip = (s: typeof counted) => ({ responses: s.responses, tallies: s.tallies });
  return { counted: strip(counted), truth: strip(truth) };
}

async function leftOver() {
  return {
    inbox: await db().collection('inbox').countDocuments({}),
    batches: await db().collection('tallybatches').countDocuments({}),
  };
}

/** What the assessment's answer blocks hold, as sorted JSON records (null: blocks incomplete). */
async function blockRecords(id: string) {
  const index = await blockIndex(id, ['users', 'employees']);
  if (!index) return null;
  const out: string[] = [];
  for (const b of (await readBlocks(index.ids)) ?? [])
    decodeStored(b, (r) => out.push(canon(withDetails(r))));
  return out.sort();
}

// What an export prints besides the answers: a block carries it, a missing value as null.
const DETAILS = ['_id', 'lang', 'submittedAt', 'durationMs', 'userAgentClass'] as const;
const withDetails = (r: object) => ({
  ...r,
  ...Object.fromEntries(DETAILS.map((k) => [k, (r as Record<string, unknown>)[k] ?? null])),
});

/** The stored responses as the blocks should hold them. */
async function storedRecords(id: string) {
  const docs = await db()
    .collection('responses')
    .find(
      { assessmentId: id },
      {
        projection: {
          group: 1,
          answers: 1,
          flags: 1,
          ...Object.fromEntries(DETAILS.map((k) => [k, 1])),
        },
      },
    )
    .toArray();
  // A response without flags is stored with an empty list or none; a block keeps none.
  return docs
    .map(({ flags, ...r }) =>
      canon(withDetails((flags as unknown[])?.length ? { ...r, flags } : r)),
    )
    .sort();
}

/** JSON with sorted keys, so that key order does not matter. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

afterEach(() => disarmFaults());

describe('counted exactly once', () => {
  it.each([
    'tally.afterMove',
    'tally.afterBlocks',
    'tally.afterBatch',
    'tally.afterIncrement',
    'tally.afterInboxDelete',
  ])(
    'a failure at %s leaves nothing counted twice or missed once counting resumes',
    async (point) => {
      const { id, tokens, answers } = await openAssessment();
      armFault(point);
      const sent = await Promise.all(
        [0, 1, 2, 3].map((k) =>
          request(app)
            .post(`/api/v1/survey/${k % 2 ? tokens.users : tokens.employees}`)
            .send({ answers: answers(k) }),
        ),
      );
      expect(sent.map((r) => r.status)).toEqual([201, 201, 201, 201]); // stored: the answer does not depend on counting
      await countNow();
      expect(await leftOver()).toEqual({ inbox: 0, batches: 0 });
      expect(await db().collection('responses').countDocuments({ assessmentId: id })).toBe(4);
      // The answer blocks hold every stored response exactly once.
      expect(await blockRecords(id)).toEqual(await storedRecords(id));
      const { counted, truth } = await countersAndTruth(id);
      expect(counted.responses.total).toBe(4);
      expect(counted).toEqual(truth);
    },
  );

  it('a failure right after the insert answers an error, and the retry with the same submissionId answers 201 with the same id', async () => {
    const { id, tokens, answers } = await openAssessment();
    const submissionId = crypto.randomUUID();
    armFault('submit.afterInsert');
    const first = await request(app)
      .post(`/api/v1/survey/${tokens.users}`)
      .send({ answers: answers(0), submissionId });
    expect(first.status).toBe(500);
    const retry = await request(app)
      .post(`/api/v1/survey/${tokens.users}`)
      .send({ answers: answers(0), submissionId });
    expect(retry.status).toBe(201);
    const again = await request(app)
      .post(`/api/v1/survey/${tokens.users}`)
      .send({ answers: answers(0), submissionId });
    expect(again.status).toBe(201);
    expect(again.body.responseId).toBe(retry.body.responseId);
    await countNow();
    expect(await db().collection('responses').countDocuments({ assessmentId: id })).toBe(1);
    const { counted, truth } = await countersAndTruth(id);
    expect(counted.responses.total).toBe(1);
    expect(counted).toEqual(truth);
  });

  it('finishes a move that a crash left half done: every entry stored once and counted once', async () => {
    const { id, tokens, answers } = await openAssessment();
    armFault('tally.afterMove', 1000); // every round stops after moving: nothing is counted
    const sent = await Promise.all(
      [0, 1, 2, 3].map((k) =>
        request(app)
          .post(`/api/v1/survey/${tokens.users}`)
          .send({ answers: answers(k) }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    // The rounds the submissions started have run (and stopped after their move) before disarming.
    await countSoon().catch(() => false);
    disarmFaults();
    // As if the crash came in the middle of the move: only the first entry reached `responses`.
    const inbox = await db().collection('inbox').find({ assessmentId: id }).toArray();
    expect(inbox).toHaveLength(4);
    await db()
      .collection('responses')
      .deleteMany({ _id: { $in: inbox.slice(1).map((e) => e._id) } });
    await countNow();
    expect(await leftOver()).toEqual({ inbox: 0, batches: 0 });
    expect(await db().collection('responses').countDocuments({ assessmentId: id })).toBe(4);
    const { counted, truth } = await countersAndTruth(id);
    expect(counted.responses.total).toBe(4);
    expect(counted).toEqual(truth);
  });

  it('counts N concurrent open-link submissions N times', async () => {
    const { id, tokens, answers } = await openAssessment();
    const n = 40;
    const sent = await Promise.all(
      Array.from({ length: n }, (_, k) =>
        request(app)
          .post(`/api/v1/survey/${tokens.users}`)
          .send({ answers: answers(k), submissionId: crypto.randomUUID() }),
      ),
    );
    expect(sent.every((r) => r.status === 201)).toBe(true);
    expect(new Set(sent.map((r) => r.body.responseId)).size).toBe(n);
    expect((await getStats(id)).responses.total).toBe(n); // a read after the 201s counts them first
    const { counted, truth } = await countersAndTruth(id);
    expect(counted).toEqual(truth);
  });

  it('rebuilds while submissions continue, and the counters equal the stored responses at the end', async () => {
    const { id, tokens, answers } = await openAssessment();
    await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        request(app)
          .post(`/api/v1/survey/${tokens.users}`)
          .send({ answers: answers(k) }),
      ),
    );
    const during = Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        request(app)
          .post(`/api/v1/survey/${k % 2 ? tokens.users : tokens.employees}`)
          .send({ answers: answers(k) }),
      ),
    );
    const [rebuilt, sent] = await Promise.all([rebuildTallies(id), during]);
    expect(sent.every((r) => r.status === 201)).toBe(true);
    expect(rebuilt.responses).toBeGreaterThanOrEqual(10);
    await countNow();
    expect(await db().collection('responses').countDocuments({ assessmentId: id })).toBe(30);
    const { counted, truth } = await countersAndTruth(id);
    expect(counted.responses.total).toBe(30);
    expect(counted).toEqual(truth);
  });

  it('reports counting as behind after a round that found a deep inbox, and no longer once it caught up (back-pressure)', async () => {
    const { id, tokens, answers } = await openAssessment();
    armFault('tally.afterMove', 1000); // nothing is counted while the inbox fills
    const first = await request(app)
      .post(`/api/v1/survey/${tokens.users}`)
      .send({ answers: answers(0) });
    expect(first.status).toBe(201);
    await countSoon().catch(() => false);
    disarmFaults();
    const [entry] = await db().collection('inbox').find({ assessmentId: id }).toArray();
    const clones = Array.from({ length: 249 }, (_, k) => ({
      ...entry,
      _id: `clone-${k}`,
      nonce: `n${k}`,
    })) as unknown as { _id: string }[];
    await db().collection<{ _id: string }>('inbox').insertMany(clones);
    await countNow();
    expect(countingBehind()).toBe(true);
    await request(app)
      .post(`/api/v1/survey/${tokens.users}`)
      .send({ answers: answers(1) });
    await countNow();
    expect(countingBehind()).toBe(false);
    const { counted, truth } = await countersAndTruth(id);
    expect(counted.responses.total).toBe(251);
    expect(counted).toEqual(truth);
  });

  it('rebuild reproduces every counter of the group documents, the per-day ones included', async () => {
    const { id, tokens, answers } = await openAssessment();
    await Promise.all(
      [0, 1, 2].map((k) =>
        request(app)
          .post(`/api/v1/survey/${tokens.employees}`)
          .send({ answers: answers(k) }),
      ),
    );
    await countNow();
    const counters = async () => {
      const doc = await db()
        .collection('groupstats')
        .findOne({ _id: `${id}:employees` } as never);
      // Block ids differ after a rebuild (it writes its own); what they hold is compared below.
      const {
        updatedAt: _u,
        batches: _b,
        blocks: _l,
        ...rest
      } = (doc ?? {}) as Record<string, unknown>;
      // A rebuild writes the zero counters (invited, opened…) that increments never created.
      return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== 0));
    };
    const before = await counters();
    const answersBefore = await blockRecords(id);
    expect(Object.keys(before).some((k) => k.startsWith('day:'))).toBe(true);
    expect(answersBefore).toHaveLength(3);
    await rebuildTallies(id);
    expect(await counters()).toEqual(before);
    expect(await blockRecords(id)).toEqual(answersBefore);
  });
});
