import { useTestDb } from '../helpers/db';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { drainAll, invite, messages, openAssessment, startSmtp, workerFor } from './smtp.helpers';

// The queue worker against a real SMTP server: retries on 4xx, failure with the reply on 5xx, the
// rate limit, messages queued before a server was configured, and never one message twice.

useTestDb();
const app = makeApp(); // no SMTP_URL: sending only queues

async function queued(n: number, prefix: string) {
  const { api, id } = await openAssessment(app);
  await invite(
    api,
    id,
    Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com`, language: 'en' })),
  );
  const res = await api.post(`/api/v1/assessments/${id}/invitations/send`, {});
  expect(res.body).toEqual({ queued: n });
  return { api, id };
}

describe('mail worker', () => {
  it('retries after a 421 and sends; fails with the reply text after a 550', async () => {
    const smtp = await startSmtp((rcpt, attempt) => {
      if (rcpt.startsWith('busy') && attempt === 1)
        return { code: 421, message: 'Service not available, try again later' };
      if (rcpt.startsWith('gone')) return { code: 550, message: 'No such user here' };
      return null;
    });
    const worker = workerFor(smtp.url);
    try {
      const { api, id } = await openAssessment(app);
      await invite(api, id, [
        { email: 'busy@example.com', language: 'en' },
        { email: 'gone@example.com', language: 'en' },
      ]);
      await api.post(`/api/v1/assessments/${id}/invitations/send`, {});
      await drainAll(worker);
      expect(smtp.received.map((m) => m.to)).toEqual(['busy@example.com']);
      expect(smtp.attempts.get('busy@example.com')).toBe(2);
      expect(smtp.attempts.get('gone@example.com')).toBe(1); // a 5xx is not retried
      const list = (await api.get(`/api/v1/assessments/${id}/messages`)).body.messages as {
        to: string;
        status: string;
        attempts: number;
        error?: string;
      }[];
      const busy = list.find((m) => m.to === 'busy@example.com')!;
      expect(busy).toMatchObject({ status: 'sent', attempts: 2 });
      expect(busy.error).toBeUndefined();
      const gone = list.find((m) => m.to === 'gone@example.com')!;
      expect(gone).toMatchObject({ status: 'failed', attempts: 1 });
      expect(gone.error).toMatch(/550/);
      expect(gone.error).toContain('No such user here');
      const failed = await api.get(`/api/v1/assessments/${id}/messages?status=failed`);
      expect(failed.body.messages.map((m: { to: string }) => m.to)).toEqual(['gone@example.com']);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('gives up after MAIL_MAX_ATTEMPTS temporary failures, keeping the last reply', async () => {
    const smtp = await startSmtp(() => ({ code: 451, message: 'Greylisted, come back later' }));
    const worker = workerFor(smtp.url, { maxAttempts: 3 });
    try {
      const { api, id } = await queued(1, 'grey');
      await drainAll(worker);
      const [m] = (await api.get(`/api/v1/assessments/${id}/messages`)).body.messages;
      expect(m).toMatchObject({ status: 'failed', attempts: 3 });
      expect(m.error).toContain('Greylisted');
      expect(smtp.received).toHaveLength(0);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('keeps to the rate: attempts start at least 1/rate seconds apart', async () => {
    const smtp = await startSmtp();
    const rate = 20; // 50 ms apart
    const worker = workerFor(smtp.url, { ratePerSecond: rate });
    try {
      await queued(6, 'rate');
      await drainAll(worker);
      expect(smtp.received).toHaveLength(6);
      const starts = worker.attemptStarts;
      expect(starts).toHaveLength(6);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      // On the worker's monotonic clock: an attempt starts only once the interval has passed since
      // the previous one (no timing tolerance needed: the gate re-checks the clock after sleeping).
      for (const g of gaps) expect(g).toBeGreaterThanOrEqual(1000 / rate);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('sends what was queued while no server was configured, once one is', async () => {
    const { api, id } = await queued(2, 'later'); // the app has no SMTP_URL
    const before = (await api.get(`/api/v1/assessments/${id}/messages`)).body.messages;
    expect(before.map((m: { status: string }) => m.status)).toEqual(['queued', 'queued']);
    const smtp = await startSmtp();
    const worker = workerFor(smtp.url); // "restarted with SMTP_URL"
    try {
      worker.start();
      const deadline = Date.now() + 10_000;
      while (smtp.received.filter((m) => m.to.startsWith('later')).length < 2) {
        if (Date.now() > deadline) throw new Error('not sent');
        await new Promise((r) => setTimeout(r, 20));
      }
      await worker.stop();
      const after = (await api.get(`/api/v1/assessments/${id}/messages?status=sent`)).body.messages;
      expect(after).toHaveLength(2);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('never sends a message twice when two instances drain the same queue', async () => {
    const smtp = await startSmtp();
    const a = workerFor(smtp.url, { ratePerSecond: 200 });
    const b = workerFor(smtp.url, { ratePerSecond: 200 });
    try {
      const { id } = await queued(12, 'twice');
      await Promise.all([drainAll(a), drainAll(b)]);
      const tos = smtp.received.filter((m) => m.to.startsWith('twice')).map((m) => m.to);
      expect(tos).toHaveLength(12);
      expect(new Set(tos).size).toBe(12);
      expect(await messages().countDocuments({ assessmentId: id, status: 'sent' })).toBe(12);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await smtp.close();
    }
  });

  it('fails, rather than resends, a message whose sender stopped mid-delivery', async () => {
    const smtp = await startSmtp();
    const worker = workerFor(smtp.url, { staleMs: 1000 });
    try {
      const { api, id } = await queued(1, 'stale');
      // Another instance claimed it ten minutes ago and never came back.
      await messages().updateOne(
        { assessmentId: id },
        {
          $set: { sendingBy: 'dead-host:1:x', sendingSince: new Date(Date.now() - 600_000) },
          $inc: { attempts: 1 },
        },
      );
      await worker.drain();
      const [m] = (await api.get(`/api/v1/assessments/${id}/messages`)).body.messages;
      expect(m.status).toBe('failed');
      expect(m.error).toMatch(/interrupted/);
      expect(smtp.received.filter((r) => r.to.startsWith('stale'))).toHaveLength(0);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('holds messages queued for a draft assessment until it opens', async () => {
    const api = await apiClient(app, 'analyst');
    const created = await api.post('/api/v1/assessments', {
      name: 'Draft DMA',
      reportingYear: 2025,
      template: 'xiaomi-2024',
    });
    const id = created.body.id as string;
    await invite(api, id, [{ email: 'early@example.com', language: 'en' }]);
    expect((await api.post(`/api/v1/assessments/${id}/invitations/send`, {})).body).toEqual({
      queued: 1,
    });
    const smtp = await startSmtp();
    const worker = workerFor(smtp.url);
    try {
      await worker.drain();
      const held = await messages().findOne({ assessmentId: id });
      expect(held).toMatchObject({ status: 'queued', attempts: 0 });
      expect(smtp.received.filter((m) => m.to === 'early@example.com')).toHaveLength(0);
      await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' });
      // The hold (a minute) has passed.
      await messages().updateOne({ assessmentId: id }, { $set: { dueAt: new Date(0) } });
      await drainAll(worker);
      expect(smtp.received.filter((m) => m.to === 'early@example.com')).toHaveLength(1);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('pages the messages list with a cursor', async () => {
    const { api, id } = await queued(5, 'page');
    const first = await api.get(`/api/v1/assessments/${id}/messages?limit=2`);
    expect(first.body.messages).toHaveLength(2);
    expect(typeof first.body.next).toBe('string');
    const seen = [...first.body.messages];
    let next = first.body.next as string | null;
    while (next) {
      const page = await api.get(
        `/api/v1/assessments/${id}/messages?limit=2&before=${encodeURIComponent(next)}`,
      );
      seen.push(...page.body.messages);
      next = page.body.next;
    }
    expect(new Set(seen.map((m: { id: string }) => m.id)).size).toBe(5);
  });
});
