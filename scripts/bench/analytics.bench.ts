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

if (require.main === module) analyticsComputeBench((s) => console.log(s));
