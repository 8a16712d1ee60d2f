import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { makeApp, testConfig } from '../helpers/app';
import { fullAnswers } from '../helpers/api';
import { armFault, disarmFaults, InjectedFault } from '../../src/db/faults';
import { MailLease } from '../../src/mail/lease';
import { mailSetupCollection } from '../../src/mail/mail-setup.model';
import { reminderRound } from '../../src/mail/schedule';
import {
  drainAll,
  invite,
  links,
  messages,
  openAssessment,
  startSmtp,
  workerFor,
} from './smtp.helpers';

// Scheduled reminders: every N days until the assessment closes, at most M per person, never within
// 24 hours of the previous message, never to someone who answered or opted out, and never twice,
// also with two instances running the schedule at once or one dying midway.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const publicUrl = testConfig().publicUrl;
const DAY = 24 * 3600_000;
let leaseNo = 0;
/** A lease of a new instance (each test its own name: another test's holder may still hold one). */
const instance = (name = `reminders-${++leaseNo}`) => new MailLease(name, 60_000);

/** Time passes for an assessment: its links' last messages move `days` into the past. */
async function age(id: string, days: number) {
  for (const l of await links().find({ assessmentId: id }).toArray())
    if (l.lastMailAt)
      await links().updateOne(
        { _id: l._id },
        { $set: { lastMailAt: new Date(l.lastMailAt.getTime() - days * DAY) } },
      );
}

async function campaign(n: number, schedule = { enabled: true, everyDays: 7, maxReminders: 2 }) {
  const { api, id } = await openAssessment(app);
  const tokens = await invite(
    api,
    id,
    Array.from({ length: n }, (_, i) => ({ email: `p${i}@example.com`, language: 'en' })),
  );
  await mailSetupCollection().insertOne({ _id: id, schedule });
  expect((await api.post(`/api/v1/assessments/${id}/invitations/send`, {})).body).toEqual({
    queued: n,
  });
  return { api, id, tokens };
}

const reminders = (id: string) => messages().find({ assessmentId: id, kind: 'reminder' }).toArray();

afterEach(async () => {
  disarmFaults();
  await mailSetupCollection().updateMany({}, { $set: { 'schedule.enabled': false } });
});

describe('scheduled reminders', () => {
  it('reminds every N days, at most M times, never within 24 hours, never after an answer or opt-out', async () => {
    const { id, tokens } = await campaign(4);
    const lease = instance();
    await age(id, 1);
    expect(await reminderRound(publicUrl, lease)).toBe(0); // 1 day < every 7 days
    const [answered, optedOut] = [tokens.get('p0@example.com')!, tokens.get('p1@example.com')!];
    const q = await request(app).get(`/api/v1/survey/${answered}`);
    expect(
      (
        await request(app)
          .post(`/api/v1/survey/${answered}`)
          .send({ answers: fullAnswers(q.body) })
      ).status,
    ).toBe(201);
    await links().updateOne({ _id: optedOut as never }, { $set: { optedOutAt: new Date() } });

    await age(id, 7);
    expect(await reminderRound(publicUrl, lease)).toBe(2);
    await age(id, 0.5);
    expect(await reminderRound(publicUrl, lease)).toBe(0); // not within 7 days again
    await age(id, 7);
    expect(await reminderRound(publicUrl, lease)).toBe(2);
    await age(id, 30);
    expect(await reminderRound(publicUrl, lease)).toBe(0); // at most 2 each
    const sent = await reminders(id);
    expect(sent.map((m) => m.to).sort()).toEqual([
      'p2@example.com',
      'p2@example.com',
      'p3@example.com',
      'p3@example.com',
    ]);
  });

  it('never sends a reminder within 24 hours, even every day', async () => {
    const { id } = await campaign(1, { enabled: true, everyDays: 1, maxReminders: 5 });
    const lease = instance();
    await age(id, 0.5);
    expect(await reminderRound(publicUrl, lease)).toBe(0);
    await age(id, 0.51);
    expect(await reminderRound(publicUrl, lease)).toBe(1);
    await age(id, 0.9);
    expect(await reminderRound(publicUrl, lease)).toBe(0);
    expect(await reminders(id)).toHaveLength(1);
  });

  it('stops when the assessment closes', async () => {
    const { api, id } = await campaign(2);
    await api.post(`/api/v1/assessments/${id}/status`, { status: 'closed' });
    await age(id, 8);
    expect(await reminderRound(publicUrl, instance())).toBe(0);
  });

  it('queues each reminder once when two instances run the round at once', async () => {
    const smtp = await startSmtp();
    const worker = workerFor(smtp.url, { ratePerSecond: 200 });
    try {
      const { id } = await campaign(10);
      await drainAll(worker); // the invitations
      smtp.received.length = 0;
      // Two instances, each with its own lease holder: one takes the lease, the other skips.
      await age(id, 8);
      const shared = `reminders-${++leaseNo}`;
      const [x, y] = await Promise.all([
        reminderRound(publicUrl, instance(shared)),
        reminderRound(publicUrl, instance(shared)),
      ]);
      expect(x + y).toBe(10);
      // Even without the lease (two different ones, i.e. both run), no reminder is queued twice.
      await age(id, 8);
      const [p, r] = await Promise.all([
        reminderRound(publicUrl, instance()),
        reminderRound(publicUrl, instance()),
      ]);
      expect(p + r).toBe(10);
      await drainAll(worker);
      const tos = smtp.received.map((m) => m.to);
      expect(tos).toHaveLength(20);
      for (let i = 0; i < 10; i++)
        expect(tos.filter((t) => t === `p${i}@example.com`)).toHaveLength(2);
      expect(await reminders(id)).toHaveLength(20);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('completes a round that died between queueing and recording, without a duplicate', async () => {
    const { id } = await campaign(3);
    await age(id, 8);
    armFault('mail.queued');
    await expect(reminderRound(publicUrl, instance())).rejects.toBeInstanceOf(InjectedFault);
    expect(await reminders(id)).toHaveLength(3); // queued, but the links do not say so yet
    // Another instance (the dead one's lease has expired) runs the round again.
    expect(await reminderRound(publicUrl, instance())).toBe(0);
    expect(await reminders(id)).toHaveLength(3);
    const ls = await links().find({ assessmentId: id }).toArray();
    expect(ls.every((l) => l.reminders === 1)).toBe(true);
  });

  it('lets a lease expire, so that a crashed holder does not block the schedule', async () => {
    const dead = new MailLease('expiring', 50);
    const alive = new MailLease('expiring', 60_000);
    expect(await dead.take()).toBe(true);
    expect(await alive.take()).toBe(false);
    const deadline = Date.now() + 5000;
    while (!(await alive.take())) {
      if (Date.now() > deadline) throw new Error('the lease never expired');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await dead.take()).toBe(false);
  });
});
