import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { csrfFrom, makeApp } from '../helpers/app';
import { apiClient, fullAnswers } from '../helpers/api';
import {
  drainAll,
  invite,
  links,
  openAssessment,
  startSmtp,
  tokenIn,
  workerFor,
} from './smtp.helpers';

// Invitations through a real SMTP server on loopback: recipients, language, placeholders, the
// personal link, the opt-out link, and reminders only to those who have not answered.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

describe('e-mail invitations through SMTP', () => {
  it('sends each invitee one invitation in their language, with the placeholders filled', async () => {
    const smtp = await startSmtp(() => null, { user: 'mailer', pass: 's3cret' });
    const worker = workerFor(smtp.url);
    try {
      const { api, id } = await openAssessment(app, 'Acme DMA 2025');
      const setup = await api.post(`/api/v1/assessments/${id}/invitations`, {
        group: 'users',
        kind: 'personal',
        invitees: [
          { email: 'ann@example.com', name: 'Ann Lee', language: 'zh-Hant' },
          { email: 'bob@example.com', name: 'Bob Ng', language: 'zh-Hans' },
          { email: 'cat@example.com', language: 'en' },
          { email: 'dee@example.com' }, // no language: the assessment's first (zh-Hant here)
        ],
      });
      expect(setup.status).toBe(201);
      const sent = await api.post(`/api/v1/assessments/${id}/invitations/send`, {});
      expect(sent.status).toBe(202);
      expect(sent.body).toEqual({ queued: 4 });
      // Not twice: every link already has its invitation.
      expect((await api.post(`/api/v1/assessments/${id}/invitations/send`, {})).body).toEqual({
        queued: 0,
      });
      const listed = await api.get(`/api/v1/assessments/${id}/messages`);
      expect(listed.status).toBe(200);
      expect(listed.body.messages).toHaveLength(4);
      expect(listed.body.messages.every((m: { status: string }) => m.status === 'queued')).toBe(
        true,
      );

      await drainAll(worker);
      expect(smtp.received.map((m) => m.to).sort()).toEqual([
        'ann@example.com',
        'bob@example.com',
        'cat@example.com',
        'dee@example.com',
      ]);
      const byTo = new Map(smtp.received.map((m) => [m.to, m]));
      const ann = byTo.get('ann@example.com')!;
      expect(ann.subject).toBe('Acme DMA 2025：誠邀您就我們的可持續發展議題提供意見');
      expect(ann.text).toContain('Ann Lee，您好');
      expect(ann.text).toContain('截止日期：另行通知');
      expect(ann.text).not.toMatch(/\{\{/);
      const bob = byTo.get('bob@example.com')!;
      expect(bob.subject).toContain('诚邀您');
      const cat = byTo.get('cat@example.com')!;
      expect(cat.subject).toBe('Acme DMA 2025: your views on our sustainability priorities');
      expect(cat.text).toContain('Dear colleague,');
      expect(cat.headerLines).toMatch(/List-Unsubscribe:\s*<http\S+\/opt-out\?lang=en>/);
      const dee = byTo.get('dee@example.com')!;
      expect(dee.text).toContain('持份者，您好');
      expect(dee.text).toContain('?lang=zh-Hant');

      // The link opens the right questionnaire, in the invitee's language.
      const token = tokenIn(ann.text, '?lang=zh-Hant');
      expect(token).toBeDefined();
      const survey = await request(app).get(`/api/v1/survey/${token}`);
      expect(survey.status).toBe(200);
      expect(survey.body.assessment.name).toBe('Acme DMA 2025');
      expect(survey.body.group.code ?? survey.body.group).toBeTruthy();
      const page = await request(app).get(`/s/${token}?lang=zh-Hant`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html lang="zh-Hant">');
      const link = await links().findOne({ _id: token as never });
      expect(link?.group).toBe('users');
      expect(link?.opens ?? 0).toBe(0); // the GET was not an "open"

      const after = await api.get(`/api/v1/assessments/${id}/messages?status=sent`);
      expect(after.body.messages).toHaveLength(4);
      for (const m of after.body.messages) {
        expect(m).toMatchObject({ kind: 'invitation', status: 'sent', attempts: 1 });
        expect(typeof m.sentAt).toBe('string');
      }
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('opts out through a POST form (a GET changes nothing) and the survey link keeps working', async () => {
    const smtp = await startSmtp();
    const worker = workerFor(smtp.url);
    try {
      const { api, id } = await openAssessment(app);
      await invite(api, id, [
        { email: 'out@example.com', name: 'Olive', language: 'en' },
        { email: 'done@example.com', name: 'Dan', language: 'en' },
        { email: 'late@example.com', name: 'Lu', language: 'en' },
      ]);
      await api.post(`/api/v1/assessments/${id}/invitations/send`, {});
      await drainAll(worker);
      const text = (to: string) => smtp.received.find((m) => m.to === to)!.text;
      const optOutToken = tokenIn(text('out@example.com'), '/opt-out');
      const optOutUrl = /(http\S+\/opt-out\S*)/.exec(text('out@example.com'))?.[1] ?? '';
      expect(optOutUrl).toMatch(/\/s\/[A-Za-z0-9_-]+\/opt-out\?lang=en$/);

      const agent = request.agent(app);
      const form = await agent.get(new URL(optOutUrl).pathname);
      expect(form.status).toBe(200);
      expect(form.text).toContain('method="post"');
      expect((await links().findOne({ _id: optOutToken as never }))?.optedOutAt).toBeUndefined();
      const posted = await agent
        .post(new URL(optOutUrl).pathname)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), lang: 'en' });
      expect(posted.status).toBe(303);
      expect((await links().findOne({ _id: optOutToken as never }))?.optedOutAt).toBeInstanceOf(
        Date,
      );
      const confirmed = await agent.get(posted.headers.location!);
      expect(confirmed.text).toContain('data-state="opted-out"');
      expect((await request(app).get(`/s/${optOutToken}`)).status).toBe(200);

      // Dan answers; then reminders go only to Lu.
      const doneToken = tokenIn(text('done@example.com'))!;
      const q = await request(app).get(`/api/v1/survey/${doneToken}`);
      const answered = await request(app)
        .post(`/api/v1/survey/${doneToken}`)
        .send({ answers: fullAnswers(q.body) });
      expect(answered.status).toBe(201);
      const reminded = await api.post(`/api/v1/assessments/${id}/reminders/send`, {
        minHoursSinceLast: 0,
      });
      expect(reminded.status).toBe(202);
      expect(reminded.body).toEqual({ queued: 1 });
      // The default (24 hours since the last message) queues nothing right after.
      expect((await api.post(`/api/v1/assessments/${id}/reminders/send`, {})).body).toEqual({
        queued: 0,
      });
      smtp.received.length = 0;
      await drainAll(worker);
      expect(smtp.received.map((m) => m.to)).toEqual(['late@example.com']);
      expect(smtp.received[0]!.subject).toContain('Reminder');
      // The opted-out invitee gets no opt-out page for an open link: 404 for those.
      const open = await api.post(`/api/v1/assessments/${id}/invitations`, {
        group: 'users',
        kind: 'open',
      });
      expect((await request(app).get(`/s/${open.body[0].token}/opt-out`)).status).toBe(404);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  it('refuses to send for a closed assessment, a bad group and a bad cursor', async () => {
    const { api, id } = await openAssessment(app);
    const bad = await api.post(`/api/v1/assessments/${id}/invitations/send`, { group: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('group');
    expect((await api.get(`/api/v1/assessments/${id}/messages?before=zzz`)).status).toBe(422);
    const viewer = await apiClient(app, 'viewer');
    expect((await viewer.post(`/api/v1/assessments/${id}/invitations/send`, {})).status).toBe(403);
    expect((await viewer.get(`/api/v1/assessments/${id}/messages`)).status).toBe(200);
    const hostile = await api.post(`/api/v1/assessments/${id}/reminders/send`, {
      group: { $gt: '' },
      minHoursSinceLast: -1,
    });
    expect(hostile.status).toBe(422);
    await api.post(`/api/v1/assessments/${id}/status`, { status: 'closed' });
    const closed = await api.post(`/api/v1/assessments/${id}/invitations/send`, {});
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('assessment_not_open');
  });
});
