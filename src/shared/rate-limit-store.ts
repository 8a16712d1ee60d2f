import crypto from 'node:crypto';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import mongoose, { Schema } from 'mongoose';

// Rate-limit counters live in the database so that limits hold across app instances. Fixed windows
// keyed by `_id = prefix:key:window` make every operation a single-document, `_id`-only write.
interface HitDoc {
  _id: string;
  count: number;
  resetAt: Date;
}

const hitSchema = new Schema<HitDoc>(
  { _id: String, count: Number, resetAt: Date },
  { versionKey: false },
);
export const RateLimitHit =
  (mongoose.models.RateLimitHit as mongoose.Model<HitDoc> | undefined) ??
  mongoose.model<HitDoc>('RateLimitHit', hitSchema, 'ratelimits');

export class DatabaseRateLimitStore implements Store {
  windowMs = 60_000;
  localKeys = false;

  constructor(public prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private window(now = Date.now()) {
    const index = Math.floor(now / this.windowMs);
    return { index, resetAt: new Date((index + 1) * this.windowMs) };
  }

  // Keys are IPs and e-mail addresses: only their hash is stored.
  private id(key: string, index: number) {
    return `${this.prefix}:${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}:${index}`;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const w = this.window();
    const doc = await RateLimitHit.findById(this.id(key, w.index)).lean<HitDoc>();
    return doc ? { totalHits: doc.count, resetTime: w.resetAt } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const w = this.window();
    const doc = await RateLimitHit.findOneAndUpdate(
      { _id: this.id(key, w.index) },
      { $inc: { count: 1 }, $set: { resetAt: w.resetAt } },
      { upsert: true, returnDocument: 'after' },
    ).lean<HitDoc>();
    return { totalHits: doc?.count ?? 1, resetTime: w.resetAt };
  }

  async decrement(key: string): Promise<void> {
    const w = this.window();
    await RateLimitHit.updateOne({ _id: this.id(key, w.index) }, { $inc: { count: -1 } });
  }

  async resetKey(key: string): Promise<void> {
    await RateLimitHit.deleteOne({ _id: this.id(key, this.window().index) });
  }
}

/** Background clean-up of finished windows (never on a request path). */
export async function purgeExpiredRateLimits(now = new Date()): Promise<number> {
  const r = await RateLimitHit.deleteMany({ resetAt: { $lt: now } });
  return r.deletedCount ?? 0;
}
