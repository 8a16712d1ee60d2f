import type { Assessment } from '../assessments/model/assessment.types';
import { loadAssessment } from '../assessments/services/assessment.store';
import type { Logger } from '../shared/logger';
import { MailLease } from './lease';
import { mailSetupCollection } from './mail-setup.model';
import { dueForReminder, queueFor } from './queue.service';

/** Never a reminder within this time of the previous message, whatever the schedule says. */
export const MIN_GAP_HOURS = 24;
const LEASE_MS = 5 * 60_000;

/**
 * Scheduled reminders, inside the app: one round queues a reminder for every invited person due one
 * (not answered, not opted out, fewer than maxReminders, last message everyDays ago and at least
 * 24 hours). One instance runs a round at a time (a lease); if two ever did, or one died midway,
 * a reminder's id (link + round) makes the second copy a duplicate key, never a second message.
 */
export async function reminderRound(
  publicUrl: string,
  lease: MailLease,
  now = new Date(),
): Promise<number> {
  // The holder keeps the lease from round to round (renewed here); another instance takes over once
  // it has expired, i.e. when the holder stopped.
  if (!(await lease.take())) return 0;
  let queued = 0;
  {
    const setups = await mailSetupCollection().find({ 'schedule.enabled': true }).toArray();
    for (const setup of setups) {
      const s = setup.schedule;
      if (!s) continue;
      let a: Assessment;
      try {
        a = await loadAssessment(setup._id);
      } catch {
        continue; // the assessment was deleted
      }
      if (a.status !== 'open') continue;
      const hours = Math.max(MIN_GAP_HOURS, s.everyDays * 24);
      const due = await dueForReminder(
        a,
        {},
        hours,
        now,
        (l) => !!l.lastMailAt && (l.reminders ?? 0) < s.maxReminders,
      );
      queued += await queueFor(a, setup, due, 'reminder', publicUrl, now);
    }
  }
  return queued;
}

/** Runs reminderRound every `intervalMs`; returns the stop function. */
export function startReminderSchedule(
  publicUrl: string,
  intervalMs: number,
  logger?: Logger,
): () => void {
  const lease = new MailLease('reminders', Math.max(3 * intervalMs, LEASE_MS));
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await reminderRound(publicUrl, lease);
    } catch (err) {
      logger?.warn({ err }, 'scheduled reminders failed; trying again next round');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    void lease.release().catch(() => undefined);
  };
}
