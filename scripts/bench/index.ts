import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { connectMongoose } from '../../src/db/database';
import { startEmbeddedDb } from '../../src/db/embedded';
import { databaseBench } from './database.bench';

// `npm run bench`: figures for the embedded database (or MONGODB_URI when set). Not a test.
async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-bench-'));
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedDb({ dataDir: dir, cacheRoot: process.env.EMBEDDED_DB_CACHE });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  await connectMongoose(uri, `bench_${Date.now()}`);
  const log = (s: string) => console.log(s);
  log(`bench on ${embedded ? 'the embedded database (FerretDB via launcher)' : 'MONGODB_URI'}; node ${process.version}; ${os.cpus().length} cores`);
  try {
    await databaseBench(log);
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await embedded?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
