import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import { startReminderSchedule } from './schedule';
import { MailWorker } from './worker';

const SCHEDULE_INTERVAL_MS = 15 * 60_000;

/** Starts the mail worker (when SMTP_URL is set) and the reminder schedule; returns the stop. */
export function startMail(config: Config, logger: Logger): () => Promise<void> {
  const worker = MailWorker.fromConfig(config, logger);
  if (worker) worker.start();
  else logger.info('SMTP_URL is not set: e-mail is queued in the outbox and not sent');
  const stopSchedule = startReminderSchedule(config.publicUrl, SCHEDULE_INTERVAL_MS, logger);
  return async () => {
    stopSchedule();
    await worker?.stop();
  };
}
