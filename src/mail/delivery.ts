import nodemailer from 'nodemailer';
import type { MessageDoc } from './message.model';

/** How an attempt ended: delivered, try again later (4xx, no connection), or never (5xx). */
export type Outcome =
  { kind: 'sent' } | { kind: 'temporary'; reason: string } | { kind: 'permanent'; reason: string };

export interface Sender {
  send(m: MessageDoc): Promise<Outcome>;
  close(): void;
}

const reasonOf = (err: { response?: string; message?: string; code?: string }) =>
  String(err.response || err.message || err.code || 'unknown error').slice(0, 500);

/**
 * Sorts an SMTP failure: a 5xx reply is permanent (the server refused this message); a 4xx reply or
 * no reply at all (connection refused, timeout, dropped) is temporary.
 */
export function classify(err: unknown): Outcome {
  const e = (err ?? {}) as { responseCode?: number; response?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (code !== undefined && code >= 500) return { kind: 'permanent', reason: reasonOf(e) };
  return { kind: 'temporary', reason: reasonOf(e) };
}

/** nodemailer over SMTP_URL; one connection per message (a 421 closes it anyway). */
export function smtpSender(smtpUrl: string, from: string): Sender {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  } as nodemailer.TransportOptions);
  return {
    async send(m) {
      try {
        await transport.sendMail({
          from,
          to: m.to,
          ...(m.replyTo ? { replyTo: m.replyTo } : {}),
          subject: m.subject,
          text: m.text,
          // The same id on every attempt: a receiving server can tell a retry from a new message.
          messageId: `<${m._id.replace(/[^A-Za-z0-9._-]/g, '.')}@dma-platform>`,
          headers: { 'List-Unsubscribe': `<${m.optOutUrl}>` },
        });
        return { kind: 'sent' };
      } catch (err) {
        return classify(err);
      }
    },
    close: () => transport.close(),
  };
}
