import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app';
import { loadAssessment } from '../../src/assessments/services/assessment.store';
import { loadConfig } from '../../src/config';
import { prepared } from '../../src/exports/export.service';
import { exportResponses, responseCursor } from '../../src/exports/response-source';
import { blockIndex } from '../../src/results/tallies/answer-blocks';
import { writeXlsx } from '../../src/exports/xlsx';
import { createLinks } from '../../src/invitations/link.service';
import { buildQuestionnaire } from '../../src/responses/questionnaire';
import { resultsFrom } from '../../src/results/results.service';
import { getStats } from '../../src/results/tallies/tally.service';
import { prng, syntheticAnswers } from '../../src/demo/synthetic';
import { createLogger } from '../../src/shared/logger';
import { BENCH_ACTOR, benchAssessment } from './fixtures';
import { percentile } from './stats';

const MB = 1024 * 1024;
const gc = () => (global as { gc?: () => void }).gc?.();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ExportRun {
  ms: number;
  rows: number;
  bytes: number;
  idleRssMb: number;
  peakAboveIdleMb: number;
  /** CPU seconds this process used (on a shared machine, rows per CPU second is the steadier rate) */
  cpuS: number;
  /** at the peak: the JS heap and the memory outside it (buffers), above idle, in MB */
  heapAboveIdleMb: number;
  externalAboveIdleMb: number;
}

/**
 * One XLSX export of an existing assessment, through the same writer the routes use, into a stream
 * that counts and discards the bytes (a client that reads as fast as it can). The idle RSS is taken
 * after a full GC with the process at rest; the peak is sampled every 20 ms during the export.
 */
async function exportOnce(assessmentId: string, scan = false): Promise<ExportRun> {
  const [assessment, stats] = await Promise.all([
    loadAssessment(assessmentId),
    getStats(assessmentId),
  ]);
  const p = prepared(
    assessment,
    resultsFrom(assessment, stats),
    'en',
    crypto.randomBytes(32).toString('hex'),
  );
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  let rows = 0;
  async function* counted() {
    const source = scan ? responseCursor(assessmentId) : exportResponses(assessment);
    for await (const doc of source) {
      rows++;
      yield doc;
    }
  }
  gc();
  await sleep(500);
  gc();
  const idle = process.memoryUsage();
  let peak = idle;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak = m;
  }, 20);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  try {
    await writeXlsx(sink, p.tables, counted());
  } finally {
    clearInterval(sampler);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return {
    ms,
    cpuS: (cpu.user + cpu.system) / 1e6,
    rows,
    bytes,
    idleRssMb: idle.rss / MB,
    peakAboveIdleMb: (peak.rss - idle.rss) / MB,
    heapAboveIdleMb: (peak.heapTotal - idle.heapTotal) / MB,
    externalAboveIdleMb: (peak.external - idle.external) / MB,
  };
}

/** Submissions through the respondent API, one every `everyMs`, until `until` resolves. */
async function submitWhile(
  base: string,
  token: string,
  answers: unknown,
  until: Promise<unknown>,
  everyMs = 100,
): Promise<{ latencies: number[]; failed: number }> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  let failed = 0;
  while (!done) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}/api/v1/survey/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers, submissionId: crypto.randomUUID() }),
    });
    await res.arrayBuffer();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (res.status === 201) latencies.push(ms);
    else failed++;
    if (ms < everyMs) await sleep(everyMs - ms);
  }
  return { latencies: latencies.sort((a, b) => a - b), failed };
}

/** Exact order statistics of every submission's time (xs sorted ascending). */
const lat = (xs: number[]) =>
  `n ${xs.length}, median ${percentile(xs, 50).toFixed(0)} ms, p95 ${percentile(xs, 95).toFixed(0)} ms, ` +
  `p99 ${percentile(xs, 99).toFixed(0)} ms, max ${(xs.at(-1) ?? NaN).toFixed(0)} ms`;

/**
 * `BENCH_EXPORT_RUNS` (default 3) consecutive exports of the assessment, each with its peak RSS above
 * the idle process (bar: 100 MB) and its rate (bar: 2,000 rows/s); then one more export while a
 * respondent submits every 100 ms to another assessment through this process's HTTP server, so
 * the export and the submissions share one event loop and one database, as in production.
 */
export async function exportBench(log: (s: string) => void, assessmentId: string): Promise<void> {
  const runs = Number(process.env.BENCH_EXPORT_RUNS ?? 3);
  if (!(global as { gc?: () => void }).gc)
    log('export: run node with --expose-gc for a steadier idle figure');
  const exported = await loadAssessment(assessmentId);
  const index = await blockIndex(
    assessmentId,
    exported.groups.map((g) => g.code),
  );
  log(
    `export: read from ${index?.details ? `${index.ids.length} answer blocks` : 'a scan of responses'}`,
  );
  const results: ExportRun[] = [];
  const describe = (label: string, r: ExportRun) =>
    log(
      `${label}: XLSX of ${r.rows.toLocaleString('en')} responses in ${(r.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en')} rows/s; ${r.cpuS.toFixed(1)} CPU s in this process, ` +
        `${Math.round(r.rows / r.cpuS).toLocaleString('en')} rows per CPU s; ${(r.bytes / MB).toFixed(1)} MB written); ` +
        `RSS idle ${r.idleRssMb.toFixed(0)} MB, peak ${r.peakAboveIdleMb.toFixed(0)} MB above idle ` +
        `(of which JS heap ${r.heapAboveIdleMb.toFixed(0)} MB, buffers ${r.externalAboveIdleMb.toFixed(0)} MB; bars: 100 MB, 2,000 rows/s)`,
    );
  for (let i = 1; i <= runs; i++) {
    const r = await exportOnce(assessmentId);
    if (r.rows !== index?.rows) throw new Error(`export: ${r.rows} rows, ${index?.rows} counted`);
    results.push(r);
    describe(`export run ${i}`, r);
  }
  // For comparison, what scanning the responses (blocks of earlier versions) gives.
  if (process.env.BENCH_EXPORT_SCAN !== '0')
    describe(
      'export by a scan of responses (for comparison)',
      await exportOnce(assessmentId, true),
    );
  const worst = Math.max(...results.map((r) => r.peakAboveIdleMb));
  const slowest = Math.min(...results.map((r) => r.rows / (r.ms / 1000)));
  log(
    `export: worst of ${runs} runs: peak ${worst.toFixed(0)} MB above idle, ${Math.round(slowest).toLocaleString('en')} rows/s`,
  );

  // Submission latency while an export runs.
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'b'.repeat(40),
    LOG_LEVEL: 'silent',
    MONGODB_URI: process.env.BENCH_URI,
    SUBMIT_MAX_PER_MINUTE: '100000',
  });
  const server = createApp({ config, logger: createLogger('silent') }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const a = await benchAssessment('bench export latency', 20);
    const [open] = await createLinks(BENCH_ACTOR, a._id, { group: 'users', kind: 'open' }, base);
    const q = buildQuestionnaire(
      a,
      a.groups.find((g) => g.code === 'users')!,
      'en',
    );
    const answers = syntheticAnswers(q, prng(7), () => 3);
    const idle = await submitWhile(base, open!.token, answers, sleep(10_000));
    log(`export: submission latency without an export: ${lat(idle.latencies)}`);
    const during = submitWhile(base, open!.token, answers, exportOnce(assessmentId));
    const d = await during;
    log(
      `export: submission latency during an export: ${lat(d.latencies)}` +
        (d.failed ? `, ${d.failed} not 201` : ''),
    );
    // The bar: submissions are not visibly slower (median within 2x of the idle one, p95 < 100 ms).
    const ratio = percentile(d.latencies, 50) / percentile(idle.latencies, 50);
    log(
      `export: median during / without an export ${ratio.toFixed(2)}x (bar: <= 2x), ` +
        `p95 during ${percentile(d.latencies, 95).toFixed(0)} ms (bar: < 100 ms)`,
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
