import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDb, EmbeddedDb } from '../../src/db/embedded';

// One embedded database for the whole run, in a throw-away directory; each test file uses its
// own database name (see test/helpers/db.ts). With MONGODB_URI set, that server is used instead.
export default async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-test-'));
  const db = await startEmbeddedDb({ dataDir: dir, cacheRoot: process.env.EMBEDDED_DB_CACHE });
  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_DATA_DIR = dir;
  (globalThis as { __EMBEDDED_DB__?: EmbeddedDb }).__EMBEDDED_DB__ = db;
}
