import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { connectMongoose } from '../../src/db/database';
import { createLogger } from '../../src/shared/logger';

// The app under load runs in its own process, so the load generator does not share its event loop.
async function main() {
  const [uri, dbName] = process.argv.slice(2);
  if (!uri || !dbName) throw new Error('usage: server-child <mongodb uri> <database name>');
  await connectMongoose(uri, dbName);
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'b'.repeat(40),
    LINK_REF_SECRET: 'r'.repeat(40),
    LOG_LEVEL: 'silent',
    MONGODB_URI: uri,
    SUBMIT_MAX_PER_MINUTE: '100000',
  });
  const server = createApp({ config, logger: createLogger('silent') }).listen(
    0,
    '127.0.0.1',
    () => {
      process.send?.({ port: (server.address() as { port: number }).port });
    },
  );
  process.on('disconnect', () => process.exit(0));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
