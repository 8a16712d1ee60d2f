import http from 'node:http';
import mongoose from 'mongoose';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { purgeExpiredSessions } from './db/session-store';
import { purgeExpiredRateLimits } from './shared/rate-limit-store';
import { purgeStaleDrafts } from './surveys/draft-cleanup';
import { rekeyLinksOnce } from './invitations/link-rekey';
import { startCounting } from './results/tallies/counter';
import { createLogger } from './shared/logger';
import { startMail } from './mail/start';

const CLEANUP_INTERVAL_MS = 10 * 60_000;
const COUNT_INTERVAL_MS = 500;

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.sessionSecretGenerated) {
    logger.warn(
      'SESSION_SECRET is not set: a random one was generated, so sessions end when the process stops (development only)',
    );
  }
  const db = await openDatabase(config, logger);
  const app = createApp({ config, logger });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info(`listening on http://${config.host}:${config.port}`);

  // Responses stored before the keyed link reference: rekeyed once, by one instance (a lease);
  // retried with the clean-up in case the instance doing it stopped halfway.
  const rekey = () =>
    rekeyLinksOnce().then(
      (r) => r && logger.info(r, 'link references of earlier versions rekeyed'),
      (err) => logger.warn({ err }, 'rekeying link references failed; retrying later'),
    );
  void rekey();
  const cleanup = setInterval(() => {
    void rekey();
    void Promise.all([
      purgeExpiredSessions(mongoose.connection.collection('sessions')),
      purgeExpiredRateLimits(),
      purgeStaleDrafts(),
    ]).catch((err) => logger.warn({ err }, 'periodic clean-up failed'));
  }, CLEANUP_INTERVAL_MS);
  cleanup.unref();
  // The reconciler: counts what a crash or another instance left uncounted, at start-up and then
  // every half second (a look at the inbox, which holds only what is not counted yet).
  const stopCounting = startCounting(COUNT_INTERVAL_MS, (err) =>
    logger.warn({ err }, 'counting responses failed; retrying'),
  );

  // E-mail: the queue worker (only with SMTP_URL; without it messages wait in the outbox) and the
  // reminder schedule (every instance runs it; a lease lets one at a time do the work).
  const stopMail = startMail(config, logger);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close(); // stops accepting; resolves once in-flight requests end
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.on('close', resolve));
    clearInterval(cleanup);
    stopCounting();
    await stopMail();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
