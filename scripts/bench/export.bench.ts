import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { loadAssessment } from '../../src/assessments/services/assessment.store';
import { prepared, responseCursor } from '../../src/exports/export.service';
import { writeXlsx } from '../../src/exports/xlsx';
import { resultsFrom } from '../../src/results/results.service';
import { getStats } from '../../src/results/tallies/tally.service';

const MB = 1024 * 1024;

/**
 * The XLSX export of an existing assessment, through the same writer the routes use, into a stream
 * that counts and discards the bytes. Reports the time and the peak RSS of this process sampled every
 * 50 ms (quality bar: under 300 MB for 100,000 responses).
 */
export async function exportBench(
  log: (s: string) => void,
  assessmentId: string,
): Promise<{ ms: number; peakRssMb: number; bytes: number }> {
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
  const cursor = responseCursor(assessmentId);
  async function* counted() {
    for await (const doc of cursor) {
      rows++;
      yield doc;
    }
  }

  (global as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = process.hrtime.bigint();
  try {
    await writeXlsx(sink, p.tables, counted());
  } finally {
    clearInterval(sampler);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  peak = Math.max(peak, process.memoryUsage().rss);

  const peakRssMb = peak / MB;
  log(
    `export: XLSX of ${rows.toLocaleString('en')} responses × ${p.tables.responses.columns.length} columns in ${(ms / 1000).toFixed(1)} s ` +
      `(${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s, ${(bytes / MB).toFixed(1)} MB written)`,
  );
  log(
    `export: RSS before ${(baseline / MB).toFixed(0)} MB, peak during export ${peakRssMb.toFixed(0)} MB (target < 300 MB)`,
  );
  return { ms, peakRssMb, bytes };
}
