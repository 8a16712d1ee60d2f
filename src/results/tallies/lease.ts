import crypto from 'node:crypto';
import os from 'node:os';
import mongoose from 'mongoose';
import { leasesCollection } from './inbox.model';

const LEASE_ID = 'tally';
export const LEASE_MS = 3000;
const RENEW_BELOW_MS = 2000;
/** A step that changes counters starts only with at least this much of the lease left. */
const SAFETY_MS = 1000;

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

/**
 * The counting lease: exactly one holder (an app instance, or a rebuild) counts at a time, across
 * instances and processes. Taken and renewed by single-document conditional updates on a tiny
 * collection; it expires, so a crashed holder blocks counting for LEASE_MS at most.
 */
export class Lease {
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private until = 0;
  private db = '';

  /** True while this holder may count; renews or takes the lease when needed. */
  async hold(): Promise<boolean> {
    const now = Date.now();
    if (this.db === mongoose.connection.name && this.until - now > RENEW_BELOW_MS) return true;
    const until = new Date(now + LEASE_MS);
    const leases = leasesCollection();
    const free = { $or: [{ holder: this.holder }, { until: { $lt: new Date(now) } }] };
    const r = await leases.updateOne(
      { _id: LEASE_ID, ...free, wanted: { $exists: false } },
      { $set: { holder: this.holder, until } },
    );
    if (r.matchedCount === 0) {
      try {
        await leases.insertOne({ _id: LEASE_ID, holder: this.holder, until });
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        this.until = 0;
        return false;
      }
    }
    this.until = now + LEASE_MS;
    this.db = mongoose.connection.name;
    return true;
  }

  /** Whether a counter-changing step may start now (the lease cannot expire under it). */
  safe(): boolean {
    return this.db === mongoose.connection.name && this.until - Date.now() > SAFETY_MS;
  }

  /**
   * Takes the lease even from a live holder: asks it to let go (its next renewal fails) and waits
   * until its lease has run out. For rebuilds, which must not race the counting.
   */
  async takeOver(timeoutMs = 30_000): Promise<void> {
    const leases = leasesCollection();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = Date.now();
      const until = new Date(now + LEASE_MS);
      const r = await leases.updateOne(
        { _id: LEASE_ID, $or: [{ holder: this.holder }, { until: { $lt: new Date(now) } }] },
        { $set: { holder: this.holder, until }, $unset: { wanted: '' } },
      );
      let taken = r.matchedCount === 1;
      if (!taken) {
        try {
          await leases.insertOne({ _id: LEASE_ID, holder: this.holder, until });
          taken = true;
        } catch (err) {
          if (!isDuplicate(err)) throw err;
        }
      }
      if (taken) {
        this.until = now + LEASE_MS;
        this.db = mongoose.connection.name;
        return;
      }
      await leases.updateOne({ _id: LEASE_ID }, { $set: { wanted: this.holder } });
      if (Date.now() > deadline) throw new Error('the counting lease could not be taken');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async release(): Promise<void> {
    this.until = 0;
    await leasesCollection().deleteOne({ _id: LEASE_ID, holder: this.holder });
  }

  /** Forgets the lease locally (another holder asked for it, or this process stops counting). */
  drop(): void {
    this.until = 0;
  }
}
