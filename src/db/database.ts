import mongoose from 'mongoose';
import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import { EmbeddedDb, startEmbeddedDb } from './embedded';
import { ensureIndexes } from './indexes';

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
    logger.info({ dataDir: config.dataDir, port: embedded.port, owned: embedded.owned }, 'embedded database ready');
  }
  await connectMongoose(uri, config.dbName);
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

export async function connectMongoose(uri: string, dbName: string): Promise<void> {
  mongoose.set('strictQuery', true);
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    writeConcern: { w: 'majority' },
    autoIndex: true,
  });
}

/** Answers true when the database responds within `timeoutMs`; never waits longer. */
export async function databaseAnswers(timeoutMs: number): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
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
