import crypto from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config';
import { loadAssessmentCached } from '../assessments/services/assessment.store';
import { linksCollection } from '../invitations/link.model';
import type { Logger } from '../shared/logger';
import { smtpSender, type Outcome, type Sender } from './delivery';
import { messagesCollection, type MessageDoc } from './message.model';
import { hasSubmitted } from './recipients';

export interface WorkerOptions {
  ratePerSecond: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** How often an idle worker looks for due messages. */
  pollMs?: number;
  /** A claim older than this belongs to a stopped instance (longer than any one attempt takes). */
  staleMs?: number;
  logger?: Logger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_BACKOFF_MS = 6 * 3600_000;
const BATCH = 50;
/** How long a message queued for a draft assessment waits before the worker looks again. */
const HOLD_MS = 60_000;

/**
 * Sends queued messages at a bounded rate. Each message is claimed by a single-document conditional
 * update before it is sent, so two instances never send the same one. Temporary failures are retried
 * with exponential back-off up to maxAttempts; permanent ones are failed with the server's reply.
 */
export class MailWorker {
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  /** Monotonic start times (ms) of the recent attempts: the rate is checked on these. */
  readonly attemptStarts: number[] = [];
  private nextAt = 0;
  private sweptAt = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly interval: number;

  constructor(
    private readonly sender: Sender,
    private readonly opts: WorkerOptions,
  ) {
    this.interval = 1000 / opts.ratePerSecond;
  }

  static fromConfig(config: Config, logger?: Logger, extra: Partial<WorkerOptions> = {}) {
    if (!config.mail.smtpUrl) return null;
    return new MailWorker(smtpSender(config.mail.smtpUrl, config.mail.from), {
      ratePerSecond: config.mail.ratePerSecond,
      maxAttempts: config.mail.maxAttempts,
      retryBaseMs: config.mail.retryBaseMs,
      ...(logger ? { logger } : {}),
      ...extra,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let handled = 0;
        try {
          handled = await this.drain();
        } catch (err) {
          this.opts.logger?.warn({ err }, 'sending e-mail failed; retrying');
        }
        if (!handled && this.running) await this.idle(this.opts.pollMs ?? 1000);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.sender.close();
  }

  private idle(ms: number) {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      t.unref();
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Sends what is due now; returns how many messages it handled (0 when nothing was due). */
  async drain(): Promise<number> {
    // The sweep scans the queue: at most once a minute (a dead claim waits staleMs anyway).
    if (Date.now() - this.sweptAt > 60_000 || !this.running) {
      this.sweptAt = Date.now();
      await this.failInterrupted();
    }
    const due = await messagesCollection()
      .find({ status: 'queued', dueAt: { $lte: new Date() }, sendingBy: { $exists: false } })
      .sort({ dueAt: 1, _id: 1 })
      .limit(BATCH)
      .toArray();
    let handled = 0;
    for (const m of due) {
      if (!this.running && this.loop) break;
      if (await this.claim(m)) {
        await this.deliver({ ...m, attempts: m.attempts + 1 });
        handled++;
      }
    }
    return handled;
  }

  private async claim(m: MessageDoc): Promise<boolean> {
    const r = await messagesCollection().updateOne(
      { _id: m._id, status: 'queued', sendingBy: { $exists: false } },
      { $set: { sendingBy: this.holder, sendingSince: new Date() }, $inc: { attempts: 1 } },
    );
    return r.modifiedCount === 1;
  }

  /** Waits for the next slot: attempts start at least 1/rate seconds apart. */
  private async gate(): Promise<void> {
    for (;;) {
      const wait = this.nextAt - performance.now();
      if (wait <= 0) break;
      await sleep(wait);
    }
    const now = performance.now();
    this.nextAt = now + this.interval;
    this.attemptStarts.push(now);
    if (this.attemptStarts.length > 1000) this.attemptStarts.shift();
  }

  private async deliver(m: MessageDoc): Promise<void> {
    if (await this.held(m)) return;
    const cancelled = await this.cancelReason(m);
    let outcome: Outcome;
    if (cancelled) outcome = { kind: 'permanent', reason: cancelled };
    else {
      await this.gate();
      outcome = await this.sender.send(m);
    }
    const mine = { _id: m._id, sendingBy: this.holder };
    const release = { sendingBy: '', sendingSince: '' } as const;
    if (outcome.kind === 'sent') {
      await messagesCollection().updateOne(mine, {
        $set: { status: 'sent', sentAt: new Date() },
        $unset: { ...release, error: '' },
      });
    } else if (outcome.kind === 'temporary' && m.attempts < this.opts.maxAttempts) {
      const backoff = Math.min(this.opts.retryBaseMs * 2 ** (m.attempts - 1), MAX_BACKOFF_MS);
      await messagesCollection().updateOne(mine, {
        $set: { error: outcome.reason, dueAt: new Date(Date.now() + backoff) },
        $unset: release,
      });
    } else {
      await messagesCollection().updateOne(mine, {
        $set: { status: 'failed', error: outcome.reason },
        $unset: release,
      });
    }
  }

  /** Queued while the assessment is a draft: it waits (not an attempt) until the assessment opens. */
  private async held(m: MessageDoc): Promise<boolean> {
    const a = await loadAssessmentCached(m.assessmentId).catch(() => null);
    if (a?.status !== 'draft') return false;
    await messagesCollection().updateOne(
      { _id: m._id, sendingBy: this.holder },
      {
        $set: { dueAt: new Date(Date.now() + HOLD_MS) },
        $inc: { attempts: -1 },
        $unset: { sendingBy: '', sendingSince: '' },
      },
    );
    return true;
  }

  /** A message that must not go out any more: the invitee opted out, answered, or was deleted. */
  private async cancelReason(m: MessageDoc): Promise<string | null> {
    const link = await linksCollection().findOne({ _id: m.linkId });
    if (!link || link.revokedAt || !m.to || link.redactedAt)
      return 'cancelled: link revoked or deleted';
    if (link.optedOutAt) return 'cancelled: opted out';
    const a = await loadAssessmentCached(m.assessmentId).catch(() => null);
    if (a?.status !== 'open') return 'cancelled: the assessment is not open';
    if (m.kind === 'reminder' && (await hasSubmitted(link))) return 'cancelled: already answered';
    return null;
  }

  /**
   * A claim left by an instance that stopped mid-attempt: the server may or may not have accepted the
   * message, so it is failed rather than sent again (never twice; staff see the reason).
   */
  private async failInterrupted(): Promise<void> {
    const before = new Date(Date.now() - (this.opts.staleMs ?? 5 * 60_000));
    await messagesCollection().updateMany(
      { status: 'queued', sendingSince: { $lt: before } },
      {
        $set: {
          status: 'failed',
          error:
            'interrupted: the sending instance stopped during delivery; not retried so that it cannot arrive twice',
        },
        $unset: { sendingBy: '', sendingSince: '' },
      },
    );
  }
}
