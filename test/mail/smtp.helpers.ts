import { performance } from 'node:perf_hooks';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { apiClient } from '../helpers/api';
import { testConfig } from '../helpers/app';
import { MailWorker, type WorkerOptions } from '../../src/mail/worker';

// A real SMTP server in the test process, on loopback: the tests assert on what it receives.

export interface Received {
  to: string;
  subject: string;
  text: string;
  lang: string | undefined;
  replyTo: string | undefined;
  /** Every header line as sent. */
  headerLines: string;
  at: number;
}

type Refusal = { code: number; message: string } | null;

export async function startSmtp(
  refuse: (rcpt: string, attempt: number) => Refusal = () => null,
  auth?: { user: string; pass: string },
) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: !auth,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(a, _session, cb) {
      if (auth && a.username === auth.user && a.password === auth.pass)
        cb(null, { user: a.username });
      else cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      const n = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, n);
      const r = refuse(address.address, n);
      if (!r) return cb();
      const err = new Error(r.message) as Error & { responseCode: number };
      err.responseCode = r.code;
      cb(err);
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          const to = Array.isArray(m.to) ? m.to[0] : m.to;
          const replyTo = m.replyTo?.value[0]?.address;
          received.push({
            to: to?.value[0]?.address ?? '',
            subject: m.subject ?? '',
            text: m.text ?? '',
            lang: undefined,
            replyTo,
            headerLines: m.headerLines.map((h) => h.line).join('\n'),
            at: performance.now(),
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const creds = auth ? `${auth.user}:${auth.pass}@` : '';
  return {
    url: `smtp://${creds}127.0.0.1:${port}`,
    received,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function workerFor(smtpUrl: string, extra: Partial<WorkerOptions> = {}) {
  const config = testConfig({ SMTP_URL: smtpUrl, MAIL_RETRY_BASE_MS: '10' });
  const w = MailWorker.fromConfig(config, undefined, { pollMs: 10, ...extra });
  if (!w) throw new Error('expected a worker');
  return w;
}

/** Drains until nothing is due and nothing waits for a retry (each drain is deterministic). */
export async function drainAll(w: MailWorker, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await w.drain();
    const waiting = await messages().countDocuments({ status: 'queued' });
    if (!waiting) return;
    if (Date.now() > deadline) throw new Error(`${waiting} messages still queued`);
    await new Promise((r) => setTimeout(r, 10)); // a retry's back-off (10 ms base) to pass
  }
}

export const messages = () => mongoose.connection.collection('messages');
export const links = () => mongoose.connection.collection('links');

/** An open assessment (xiaomi-2024 template: en, zh-Hant, zh-Hans) and an analyst's API client. */
export async function openAssessment(app: Express, name = 'DMA 2025') {
  const api = await apiClient(app, 'analyst');
  const created = await api.post('/api/v1/assessments', {
    name,
    reportingYear: 2025,
    template: 'xiaomi-2024',
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const id = created.body.id as string;
  const opened = await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' });
  if (opened.status !== 200) throw new Error(`open: ${opened.status}`);
  return { api, id };
}

export async function invite(
  api: Awaited<ReturnType<typeof openAssessment>>['api'],
  id: string,
  invitees: { email: string; name?: string; language?: string }[],
  group = 'users',
): Promise<Map<string, string>> {
  const res = await api.post(`/api/v1/assessments/${id}/invitations`, {
    group,
    kind: 'personal',
    invitees,
  });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${res.text}`);
  return new Map((res.body as { email: string; token: string }[]).map((l) => [l.email, l.token]));
}

/** The token in a URL of the form …/s/<token>… */
export const tokenIn = (text: string, suffix = '') =>
  new RegExp(`/s/([A-Za-z0-9_-]+)${suffix.replace(/[/?]/g, '\\$&')}`).exec(text)?.[1];
