import { monitorEventLoopDelay } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { connectMongoose } from '../../src/db/database';
import { createLogger } from '../../src/shared/logger';

// The app under load runs in its own process, so the load generator does not share its event loop.
async function main() {
  const [uri, dbName] = process.argv.slice(2);
  if (!uri || !dbName) throw new Error('usage: server-child <mongodb uri> <database name>');
  // Command monitoring is read when connections are made: asked for in the URI, before any.
  const watched = process.env.BENCH_COMMANDS
    ? `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`
    : uri;
  await connectMongoose(watched, dbName);
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
  if (process.env.BENCH_COMMANDS) watchCommands();
  process.on('disconnect', () => process.exit(0));
}

/**
 * `BENCH_COMMANDS=1`: the database commands this process sends, by name and collection, with the
 * time each took as the driver saw it (the launcher's queue included). The bench asks for them
 * around a phase ('commands:reset', then 'commands').
 */
function watchCommands() {
  const client = mongoose.connection.getClient();
  const started = new Map<number, { key: string; at: bigint }>();
  let stats = new Map<string, number[]>();
  client.on('commandStarted', (e) => {
    // The command's first field names its collection (getMore's names its cursor).
    const c = e.command as Record<string, unknown>;
    const target = e.commandName === 'getMore' ? c.collection : c[e.commandName];
    started.set(e.requestId, {
      key: `${e.commandName} ${typeof target === 'string' ? target : ''}`,
      at: process.hrtime.bigint(),
    });
  });
  const end = (e: { requestId: number }) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    const list = stats.get(s.key) ?? [];
    list.push(Number(process.hrtime.bigint() - s.at) / 1e6);
    stats.set(s.key, list);
  };
  client.on('commandSucceeded', end);
  client.on('commandFailed', end);
  let cpu = process.cpuUsage();
  let delay = monitorEventLoopDelay({ resolution: 5 });
  process.on('message', (m) => {
    if (m === 'commands:reset') {
      stats = new Map();
      cpu = process.cpuUsage();
      delay.disable();
      delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
    }
    if (m === 'commands') {
      const used = process.cpuUsage(cpu);
      process.send?.({
        commands: [...stats],
        cpuMs: (used.user + used.system) / 1000,
        loopDelayMs: {
          p50: delay.percentile(50) / 1e6,
          p99: delay.percentile(99) / 1e6,
          max: delay.max / 1e6,
        },
      });
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
