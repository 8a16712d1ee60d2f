import mongoose from 'mongoose';
import type { Config } from '../config';
import { isDatabaseUnavailable } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { EmbeddedDb, startEmbeddedDb } from './embedded';
import { ensureIndexes } from './indexes';

/**
 * While the database is unreachable a request must be answered (503) within a second, so no
 * operation waits longer than this for a server, and mongoose buffers nothing for longer. It is
 * well under a second because, in the moment a server dies, an operation can first spend a few
 * hundred milliseconds on a connection that is then reset, and the driver retries it once (measured
 * here: up to ~1 s in all with 600 ms, ~0.6 s once the driver knows the server is gone).
 */
export const SERVER_SELECTION_TIMEOUT_MS = 500;
/** The driver checks a lost server this often, so a database that is back is used within ~1 s. */
export const HEARTBEAT_FREQUENCY_MS = 1000;
/** Start-up is not a request: the first connection may wait this long for the database. */
export const STARTUP_CONNECT_TIMEOUT_MS = 30_000;

export interface Database {
  uri: string;
  dbName: string;
  embedded: EmbeddedDb | undefined;
  close(): Promise<void>;
}

/** Connects mongoose to MONGODB_URI, or to the embedded database (started when needed). */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedDb | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    embedded = await startEmbeddedDb({
      dataDir: config.dataDir,
      cacheRoot: config.embeddedDbCache,
      log: (m) => logger.warn(m),
    });
    uri = embedded.uri;
    logger.info(
      { dataDir: config.dataDir, port: embedded.port, owned: embedded.owned },
      'embedded database ready',
    );
  }
  await connectMongoose(uri, config.dbName);
  logConnectionChanges(logger);
  // On MongoDB the filtering paths need their indexes; the embedded engine would not use them.
  if (!embedded && mongoose.connection.db) await ensureIndexes(mongoose.connection.db);
  return {
    uri,
    dbName: config.dbName,
    embedded,
    async close() {
      await mongoose.disconnect();
      await embedded?.stop();
    },
  };
}

/**
 * Connects mongoose. Operations then fail within SERVER_SELECTION_TIMEOUT_MS while no server
 * answers (the error handler turns that into 503), and the driver reconnects by itself when the
 * server is back; only this first connection retries for up to `startupTimeoutMs`.
 */
export async function connectMongoose(
  uri: string,
  dbName: string,
  { startupTimeoutMs = STARTUP_CONNECT_TIMEOUT_MS } = {},
): Promise<void> {
  mongoose.set('strictQuery', true);
  mongoose.set('bufferTimeoutMS', SERVER_SELECTION_TIMEOUT_MS); // operations issued while disconnected
  const deadline = Date.now() + startupTimeoutMs;
  for (;;) {
    try {
      await mongoose.connect(uri, {
        dbName,
        serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
        heartbeatFrequencyMS: HEARTBEAT_FREQUENCY_MS,
        writeConcern: { w: 'majority' },
        autoIndex: true,
      });
      return;
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** One line when the connection is lost and one when the driver has it back. */
function logConnectionChanges(logger: Logger) {
  const conn = mongoose.connection;
  let closing = false;
  conn.on('disconnecting', () => (closing = true));
  conn.on('disconnected', () => {
    if (!closing) logger.warn('database connection lost: requests answer 503 until it is back');
  });
  conn.on('reconnected', () => logger.info('database connection restored'));
}

/** Answers true when the database responds within `timeoutMs`; never waits longer. */
export async function databaseAnswers(timeoutMs: number): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== mongoose.ConnectionStates.connected) return false;
  const ping = db
    .command({ ping: 1 }, { timeoutMS: timeoutMs })
    .then(() => true)
    .catch(() => false);
  return settlesWithin(ping, timeoutMs, false);
}

/** `p`'s value if it settles within `ms`, else `fallback`: a health check must never hang. */
export async function settlesWithin<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
