import crypto from 'node:crypto';
import os from 'node:os';
import mongoose from 'mongoose';
import { isDuplicate } from './message.model';

interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

const leases = () => mongoose.connection.collection<LeaseDoc>('mailleases');

/**
 * A named lease across instances: taken by one single-document conditional update (free, expired,
 * or already ours), or by the insert that creates it. It expires, so a holder that dies blocks the
 * work for `ms` at most. Correctness never rests on it alone: the messages' ids do (see messageId).
 */
export class MailLease {
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

  constructor(
    private readonly name: string,
    private readonly ms: number,
  ) {}

  async take(): Promise<boolean> {
    const now = new Date();
    const until = new Date(now.getTime() + this.ms);
    const r = await leases().updateOne(
      { _id: this.name, $or: [{ holder: this.holder }, { until: { $lt: now } }] },
      { $set: { holder: this.holder, until } },
    );
    if (r.matchedCount === 1) return true;
    try {
      await leases().insertOne({ _id: this.name, holder: this.holder, until });
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  }

  async release(): Promise<void> {
    await leases().deleteOne({ _id: this.name, holder: this.holder });
  }
}
