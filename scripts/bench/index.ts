import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { connectMongoose } from '../../src/db/database';
import { startEmbeddedDb } from '../../src/db/embedded';
import { createLogger } from '../../src/shared/logger';
import { databaseBench } from './database.bench';
import { resultsBench } from './results.bench';
import { analyticsComputeBench, analyticsJobBench } from './analytics.bench';
import { submitBench } from './submit.bench';

// `npm run bench`: figures on the embedded database (or MONGODB_URI when set). Not a test.
// BENCH_LARGE sets the large case of the results benchmark (default 1,000,000 responses);
// BENCH_ONLY=database,results,submit,export,analytics picks parts.
async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-bench-'));
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDb({ dataDir: dir, cacheRoot: process.env.EMBEDDED_DB_CACHE });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  await connectMongoose(uri, `bench_${Date.now()}`);
  process.env.BENCH_URI = uri;
  const log = (s: string) => console.log(s);
  const only = (process.env.BENCH_ONLY ?? 'database,results,submit,export,analytics').split(',');
  const large = Number(process.env.BENCH_LARGE ?? 1_000_000);
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'b'.repeat(40),
    LOG_LEVEL: 'silent',
    MONGODB_URI: uri,
    SUBMIT_MAX_PER_MINUTE: '100000',
  });
  const app = createApp({ config, logger: createLogger('silent') });
  log(
    `bench on ${embedded ? 'the embedded database (FerretDB via launcher)' : 'MONGODB_URI'}; node ${process.version}; ${os.cpus().length} cores`,
  );
  try {
    if (only.includes('database')) await databaseBench(log);
    if (only.includes('submit')) await submitBench(log);
    // Export before the large results case: on the embedded engine an export scans the responses
    // collection, and it should not scan the million responses of another assessment.
    if (only.includes('export')) await runExportBench(log);
    if (only.includes('results')) await resultsBench(app, log, large);
    if (only.includes('analytics')) {
      analyticsComputeBench(log);
      await analyticsJobBench(log);
    }
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await embedded?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runExportBench(log: (s: string) => void) {
  const { generateResponses } = await import('../../src/demo/synthetic');
  const { benchAssessment } = await import('./fixtures');
  const a = await benchAssessment('bench export');
  await generateResponses(a, { count: 100_000, batchSize: 2000 });
  log('export: 100,000 responses generated');
  try {
    const file = './export.bench';
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by a computed name so that a failure to load it is reported as "not measured" and the other figures still print
    const mod = require(file) as {
      exportBench(log: (s: string) => void, id: string): Promise<void>;
    };
    await mod.exportBench(log, a._id);
  } catch (err) {
    log(`export: not measured (${(err as Error).message})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
