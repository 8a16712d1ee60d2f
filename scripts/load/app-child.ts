import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { startCounting } from '../../src/results/tallies/counter';
import { createLogger } from '../../src/shared/logger';

// One app instance for the load test, as in production: it starts (or restarts) the embedded
// database on DATA_DIR itself and runs the reconciler. The parent SIGKILLs it and its launcher.
async function main() {
  const [port, dataDir] = process.argv.slice(2);
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'l'.repeat(40),
    LINK_REF_SECRET: 'r'.repeat(40),
    LOG_LEVEL: 'silent',
    PORT: port,
    DATA_DIR: dataDir,
    DB_NAME: 'load',
    SUBMIT_MAX_PER_MINUTE: '1000000',
  });
  const logger = createLogger('silent');
  const db = await openDatabase(config, logger);
  startCounting(250, () => undefined);
  const server = createApp({ config, logger }).listen(config.port, '127.0.0.1', () =>
    process.send?.({ ready: true, launcherPid: db.embedded?.pid }),
  );
  process.on('message', (m: { ask?: string }) => {
    if (m.ask === 'launcherPid') process.send?.({ launcherPid: db.embedded?.pid });
  });
  process.on('SIGTERM', () => server.close(() => void db.close().then(() => process.exit(0))));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
