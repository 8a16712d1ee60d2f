import crypto from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { armFault, clearHookPoints, disarmFaults, onHookPoint } from '../../../src/db/faults';
import { countNow } from '../../../src/results/tallies/counter';
import { packEntry, unpackEntry, type InboxDoc } from '../../../src/results/tallies/inbox.model';
import { rebuildTallies } from '../../../src/results/tallies/rebuild.service';
import { getStats } from '../../../src/results/tallies/tally.service';
import { apiClient, fullAnswers } from '../../helpers/api';
import { makeApp } from '../../helpers/app';
import { useTestDb } from '../../helpers/db';

// A single-use id (a personal link's, a client's submissionId) moves its inbox entry to `responses`
// itself: the path fails after each of its two writes and in the move itself here, then retries and
// counting must still store and count the response exactly once.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '10000' });
const db = () => mongoose.connection;

async function openAssessment(personalCount: number) {
  const api = await apiClient(app, 'analyst');
  const id = (
    await api.post('/api/v1/assessments', {
      name: 'Single use',
      reportingYear: 2026,
      template: 'xiaomi-2024',
    })
  ).body.id as string;
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const links = async (kind: string, count?: number) =>
    (await api.post(`/api/v1/assessments/${id}/invitations`, { group: 'users', kind, count }))
      .body as { token: string }[];
  const [open] = await links('open');
  const personal = await links('personal', personalCount);
  const survey = (await request(app).get(`/api/v1/survey/${open!.token}`)).body;
  return {
    id,
    open: open!.token,
    personal: personal.map((l) => l.token),
    answers: (k: number) => fullAnswers(survey, (i) => ((i + k) % 5) + 1),
  };
}

async function expectCountedOnce(id: string, total: number) {
  await countNow();
  expect(await db().collection('inbox').countDocuments({})).toBe(0);
  expect(await db().collection('responses').countDocuments({ assessmentId: id })).toBe(total);
  const counted = await getStats(id);
  await rebuildTallies(id);
  const truth = await getStats(id);
  expect(counted.responses.total).toBe(total);
  expect({ responses: counted.responses, tallies: counted.tallies }).toEqual({
    responses: truth.responses,
    tallies: truth.tallies,
  });
}

afterEach(() => {
  disarmFaults();
  clearHookPoints();
});

describe('single-use ids', () => {
  // The move (the grouped insert into `responses`) failing leaves the entry for counting to move.
  const failures: [string, () => void][] = [
    ['after the inbox insert', () => armFault('submit.afterInsert')],
    [
      'in the move',
      () => onHookPoint('responses.beforeWrite', () => Promise.reject(new Error('lost'))),
    ],
    ['after the move', () => armFault('submit.afterStore')],
  ];
  it.each(failures)(
    'a personal link failing %s answers an error, and its retry 409 once the first is counted',
    async (_where, fail) => {
      const { id, personal, answers } = await openAssessment(1);
      const post = (k: number) =>
        request(app)
          .post(`/api/v1/survey/${personal[0]}`)
          .send({ answers: answers(k) });
      fail();
      expect((await post(0)).status).toBe(500);
      const retry = await post(1);
      expect(retry.status).toBe(409);
      expect(retry.body.error.code).toBe('already_submitted');
      await expectCountedOnce(id, 1);
    },
  );

  it('a submissionId failing after its move answers an error, and its retries 201 with the same id', async () => {
    const { id, open, answers } = await openAssessment(1);
    const submissionId = crypto.randomUUID();
    const send = () =>
      request(app)
        .post(`/api/v1/survey/${open}`)
        .send({ answers: answers(0), submissionId });
    armFault('submit.afterStore');
    expect((await send()).status).toBe(500);
    const [a, b] = [await send(), await send()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.responseId).toBe(a.body.responseId);
    await expectCountedOnce(id, 1);
  });

  it('a second submission after the first was counted is refused, and nothing of it is kept', async () => {
    const { id, personal, answers } = await openAssessment(1);
    const url = `/api/v1/survey/${personal[0]}`;
    expect(
      (
        await request(app)
          .post(url)
          .send({ answers: answers(0) })
      ).status,
    ).toBe(201);
    await countNow(); // the first has left the inbox: the second's inbox insert succeeds
    const stored = () => db().collection('responses').find({ assessmentId: id }).toArray();
    const before = await stored();
    const second = await request(app)
      .post(url)
      .send({ answers: answers(3) });
    expect(second.status).toBe(409);
    expect(await stored()).toEqual(before);
    await expectCountedOnce(id, 1);
  });

  it('concurrent submissions of one personal link: one stored, the others refused', async () => {
    const { id, personal, answers } = await openAssessment(1);
    const sent = await Promise.all(
      [0, 1, 2, 3, 4].map((k) =>
        request(app)
          .post(`/api/v1/survey/${personal[0]}`)
          .send({ answers: answers(k) }),
      ),
    );
    expect(sent.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    await expectCountedOnce(id, 1);
  });

  it('rebuilds while personal-link submissions continue, and counts each exactly once', async () => {
    const { id, personal, answers } = await openAssessment(40);
    const post = (k: number) =>
      request(app)
        .post(`/api/v1/survey/${personal[k]}`)
        .send({ answers: answers(k) });
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(post));
    // Counting is stopped and the inbox drained: these land in `responses` (moved by their
    // submissions) and stay in the inbox while the rebuild scans.
    let sent: { status: number }[] = [];
    onHookPoint('rebuild.beforeScan', async () => {
      sent = await Promise.all(Array.from({ length: 30 }, (_, k) => post(k + 10)));
    });
    await rebuildTallies(id);
    expect(sent.map((r) => r.status)).toEqual(Array(30).fill(201));
    await expectCountedOnce(id, 40);
  });
});

describe('inbox records', () => {
  const doc = {
    _id: 'p_x',
    nonce: 'n1',
    assessmentId: 'a1',
    group: 'users',
    linkRef: 'ref',
    kind: 'personal',
    answers: [{ instrument: 'impact', topic: 't1', significance: 4 }],
    lang: 'zh-Hant',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    submittedAt: new Date('2026-01-01T00:05:00Z'),
    durationMs: null,
    userAgentClass: 'mobile',
    flags: ['speeder'],
  } as unknown as InboxDoc;

  it('pack the entry beside the fields the inbox is read by, and unpack it unchanged', async () => {
    const record = packEntry(doc);
    expect(Object.keys(record).sort()).toEqual(
      ['_id', 'assessmentId', 'nonce', 'packed', 'submittedAt'].sort(),
    );
    // Through the database, as counting reads it.
    await db()
      .collection('inbox')
      .insertOne(record as never);
    const read = await db()
      .collection('inbox')
      .findOne({ _id: 'p_x' } as never);
    expect(unpackEntry(read as never)).toEqual(doc);
    await db()
      .collection('inbox')
      .deleteOne({ _id: 'p_x' } as never);
  });

  it('read an entry stored before packing as the plain document', () => {
    expect(unpackEntry(doc as never)).toBe(doc);
  });
});
