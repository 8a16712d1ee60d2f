import { bootstrap, EXACT_MAX } from '../../src/analytics/bootstrap';
import { computeAnalytics, runToEnd } from '../../src/analytics/compute';
import { buildDataset } from '../../src/analytics/dataset';
import { createRng } from '../../src/analytics/random';
import { meanInterval } from '../../src/analytics/stats';
import { computeTopicResults } from '../../src/scoring';
import { scoringInput } from '../../src/analytics/sensitivity';
import { noQuality, ratingSetup, syntheticResponses } from './synthetic';

const P = [0.1, 0.2, 0.3, 0.25, 0.15]; // mean 3.15
const TRUE_MEAN = P.reduce((s, p, i) => s + p * (i + 1), 0);

const options = (seed: number) => ({
  assessmentId: 'a1',
  dataVersion: 'v1',
  computedAt: '2026-01-01T00:00:00.000Z',
  seed,
  quality: noQuality,
});

describe('analytics determinism', () => {
  const setup = ratingSetup(['T1', 'T2', 'T3', 'T4'], [{ code: 'A' }, { code: 'B', weight: 2 }]);
  const responses = syntheticResponses(setup, 40, 7, (t, g) =>
    t === 'T1' ? [0, 0, 0.5, 0.5, 0] : g === 'A' ? P : [...P].reverse(),
  );
  const ds = buildDataset(setup, responses);

  it('gives byte-identical output for the same inputs and seed', () => {
    const a = JSON.stringify(runToEnd(computeAnalytics(setup, ds, options(11))));
    const b = JSON.stringify(
      runToEnd(computeAnalytics(setup, buildDataset(setup, responses), options(11))),
    );
    expect(a).toBe(b);
  });

  it('gives close intervals under another seed', () => {
    const a = runToEnd(computeAnalytics(setup, ds, options(11)));
    const b = runToEnd(computeAnalytics(setup, ds, options(12)));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    a.topics.forEach((t, i) => {
      const u = b.topics[i]!;
      expect(u.code).toBe(t.code);
      for (const axis of ['impact', 'financial'] as const) {
        expect(Math.abs(t[axis].ci95![0] - u[axis].ci95![0])).toBeLessThan(0.08);
        expect(Math.abs(t[axis].ci95![1] - u[axis].ci95![1])).toBeLessThan(0.08);
      }
      expect(Math.abs(t.pMaterial - u.pMaterial)).toBeLessThan(0.05);
    });
  });

  it('reports the same scores and ranks as the scoring core, and brackets each score', () => {
    const out = runToEnd(computeAnalytics(setup, ds, options(11)));
    const results = computeTopicResults(scoringInput(setup, ds.tallies));
    expect(out.topics.map((t) => [t.code, t.rank, t.impact.score])).toEqual(
      results.map((t) => [t.code, t.rank, t.impact.score]),
    );
    for (const t of out.topics) {
      expect(t.impact.ci95![0]).toBeLessThanOrEqual(t.impact.score!);
      expect(t.impact.ci95![1]).toBeGreaterThanOrEqual(t.impact.score!);
      expect(t.uncertain).toBe(t.pMaterial > 0.1 && t.pMaterial < 0.9);
    }
    expect(out.bootstrap).toEqual({ replicates: 2000, seed: 11 });
  });
});

describe('bootstrap intervals on data from a known distribution', () => {
  const setup = ratingSetup(['T'], [{ code: 'G', instruments: ['impact'] }]);

  function interval(n: number, seed: number, replicates = 1000) {
    const ds = buildDataset(
      setup,
      syntheticResponses(setup, n, seed, () => P),
    );
    return runToEnd(bootstrap(ds, setup, createRng(seed + 1000), replicates))[0]!.impact!;
  }

  it('covers the true mean in at least 90 of 100 seeded simulations (n = 60)', () => {
    let covered = 0;
    for (let s = 1; s <= 100; s++) {
      const [lo, hi] = interval(60, s, 500);
      if (lo <= TRUE_MEAN && TRUE_MEAN <= hi) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(90);
  });

  it('shrinks as n grows, roughly as 1/sqrt(n)', () => {
    const width = (n: number) => {
      const [lo, hi] = interval(n, 3);
      return hi - lo;
    };
    const w50 = width(50);
    const w200 = width(200);
    const w800 = width(800);
    expect(w200).toBeLessThan(w50);
    expect(w800).toBeLessThan(w200);
    expect(w50 / w800).toBeGreaterThan(3);
    expect(w50 / w800).toBeLessThan(5);
  });

  it('the large-group normal limit agrees with respondent resampling at the switch', () => {
    const exact = interval(EXACT_MAX, 5, 2000);
    const limit = interval(EXACT_MAX + 1, 5, 2000);
    expect(Math.abs(exact[1] - exact[0] - (limit[1] - limit[0]))).toBeLessThan(
      0.1 * (exact[1] - exact[0]),
    );
    // and covers the true mean in at least 18 of 20 seeded simulations
    let covered = 0;
    for (let s = 1; s <= 20; s++) {
      const [lo, hi] = interval(2000, 100 + s, 400);
      if (lo <= TRUE_MEAN && TRUE_MEAN <= hi) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(18);
  });

  it('group-mean t-intervals cover the true mean in at least 90 of 100 simulations', () => {
    let covered = 0;
    for (let s = 1; s <= 100; s++) {
      const ds = buildDataset(
        setup,
        syntheticResponses(setup, 30, s, () => P),
      );
      const t = runToEnd(computeAnalytics(setup, ds, { ...options(s), replicates: 10, draws: 10 }));
      const [lo, hi] = t.topics[0]!.impact.byGroup.G!.ci95!;
      if (lo <= TRUE_MEAN && TRUE_MEAN <= hi) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(90);
  });

  it('the t-interval is mean ± t(0.975, n−1)·sd/√n', () => {
    // qt(0.975, 9) = 2.262157 (R; the textbook table gives 2.262)
    const [lo, hi] = meanInterval(3, 1.5, 10)!;
    expect(hi - 3).toBeCloseTo((2.262157162740992 * 1.5) / Math.sqrt(10), 8);
    expect(3 - lo).toBeCloseTo(hi - 3, 12);
    expect(meanInterval(3, null, 1)).toBeNull();
  });
});
