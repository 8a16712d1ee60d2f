import { computeAnalytics, runToEnd } from '../../src/analytics/compute';
import { DatasetBuilder } from '../../src/analytics/dataset';
import { createRng } from '../../src/analytics/random';
import type { AnalyticsSetup } from '../../src/analytics/types';
import { dict, resolveSettings } from '../../src/scoring';

/**
 * The whole analytics (bootstrap B = 2000, 2000 Dirichlet draws, agreement, sensitivity) on
 * synthetic rating responses, 20 topics × 10 groups, both instruments for every group. Pure
 * computation: the reading of the responses by the job is measured separately (job figure).
 */
export function analyticsComputeBench(log: (s: string) => void, sizes = [10_000, 100_000]): void {
  for (const n of sizes) {
    const setup = benchSetup(20, 10);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const builder = new DatasetBuilder(setup);
    const rng = createRng(n);
    for (let i = 0; i < n; i++) {
      const g = setup.groups[i % setup.groups.length]!;
      builder.add({
        group: g.code,
        answers: setup.topics.flatMap((t, ti) =>
          g.instruments.map((instrument) => ({
            instrument,
            topic: t.code,
            significance: rng.uniform() < 0.05 ? null : 1 + ((ti + rng.int(3)) % 5),
          })),
        ),
      });
    }
    const ds = builder.build();
    const t1 = performance.now();
    const out = runToEnd(
      computeAnalytics(setup, ds, {
        assessmentId: 'bench',
        dataVersion: 'bench',
        computedAt: new Date().toISOString(),
        seed: 1,
        quality: { straightLining: 0, speeder: 0, byGroup: dict(), excluded: [] },
      }),
    );
    const t2 = performance.now();
    const cpu = process.cpuUsage(c0);
    log(
      `analytics: ${n.toLocaleString('en')} responses × 20 topics × 10 groups: scores ${fmt(t1 - t0)}, ` +
        `analytics ${fmt(t2 - t1)}; CPU ${fmt((cpu.user + cpu.system) / 1000)} in all ` +
        `(W = ${out.agreement.kendallW?.toFixed(3)})`,
    );
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function benchSetup(topics: number, groups: number): AnalyticsSetup {
  const gs = Array.from({ length: groups }, (_, i) => ({
    code: `G${i + 1}`,
    weight: 1,
    instruments: ['impact', 'financial'] as ('impact' | 'financial')[],
  }));
  return {
    topics: Array.from({ length: topics }, (_, i) => ({
      code: `T${i + 1}`,
      name: { en: `Topic ${i + 1}` },
      category: 'E' as const,
    })),
    groups: gs,
    modes: { impact: 'rating', financial: 'rating' },
    settings: resolveSettings({ weights: dict(gs.map((g) => [g.code, g.weight])) }),
  };
}

/**
 * The job end to end on the database: `count` synthetic responses in an assessment of 20 topics ×
 * 10 groups (both questionnaires each), then the analytics job (reading every response once, then
 * computing) while results are read in a loop beside it, to show they stay fast meanwhile.
 */
export async function analyticsJobBench(
  log: (s: string) => void,
  sizes = [10_000, 100_000],
): Promise<void> {
  const { createAssessment, setStatus } =
    await import('../../src/assessments/services/assessment.service');
  const { addTopic } = await import('../../src/assessments/services/topic.service');
  const { addGroup } = await import('../../src/assessments/services/group.service');
  const { loadAssessment } = await import('../../src/assessments/services/assessment.store');
  const { generateResponses } = await import('../../src/demo/synthetic');
  const { getAnalytics } = await import('../../src/analytics/analytics.service');
  const { jobsSettled } = await import('../../src/analytics/job');
  const { getResults } = await import('../../src/results/results.service');
  const { AnalyticsCache } = await import('../../src/analytics/analytics.model');
  const { BENCH_ACTOR } = await import('./fixtures');
  for (const count of sizes) {
    const created = await createAssessment(BENCH_ACTOR, {
      name: `analytics ${count}`,
      reportingYear: 2025,
      template: 'blank',
    });
    for (let i = 1; i <= 20; i++)
      await addTopic(BENCH_ACTOR, created._id, {
        code: `t${i}`,
        name: { en: `Topic ${i}` },
        category: (['E', 'S', 'G'] as const)[i % 3]!,
      });
    for (let g = 1; g <= 10; g++)
      await addGroup(BENCH_ACTOR, created._id, {
        code: `g${g}`,
        name: { en: `Group ${g}` },
        kind: 'external',
        weight: 1,
        instruments: ['impact', 'financial'],
        targetResponses: count / 10,
      });
    await setStatus(BENCH_ACTOR, created._id, { status: 'open' });
    const a = await loadAssessment(created._id);
    const t0 = performance.now();
    await generateResponses(a, { count, batchSize: 2000 });
    log(
      `analytics job: ${count.toLocaleString('en')} responses generated in ${fmt(performance.now() - t0)}`,
    );
    const start = performance.now();
    const first = await getAnalytics(BENCH_ACTOR, a);
    if (first.status !== 'computing') throw new Error('expected the job to start');
    const latencies: number[] = [];
    let done = false;
    const job = jobsSettled().then(() => (done = true));
    while (!done) {
      const r0 = performance.now();
      await getResults(BENCH_ACTOR, a);
      latencies.push(performance.now() - r0);
    }
    await job;
    const total = performance.now() - start;
    const cached0 = performance.now();
    const answer = await getAnalytics(BENCH_ACTOR, a);
    const cached = performance.now() - cached0;
    if (answer.status !== 'done') throw new Error('analytics not cached after the job');
    latencies.sort((x, y) => x - y);
    const p = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    log(
      `analytics job: ${count.toLocaleString('en')} responses × 20 topics × 10 groups: read + computed in ${fmt(total)} ` +
        `with results read back to back beside it; ` +
        `cached answer ${cached.toFixed(1)} ms; results during the job: ${latencies.length} reads, ` +
        `median ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms`,
    );
    // The same job with nothing beside it: the cached answer removed, computed again.
    await AnalyticsCache.deleteMany({});
    const alone0 = performance.now();
    if ((await getAnalytics(BENCH_ACTOR, a)).status !== 'computing')
      throw new Error('expected the job to start again');
    await jobsSettled();
    log(
      `analytics job: ${count.toLocaleString('en')} responses, the job alone: read + computed in ${fmt(performance.now() - alone0)}`,
    );
  }
}
