import { computeAnalytics, runToEnd } from '../../src/analytics/compute';
import { buildDataset, scoreUnder } from '../../src/analytics/dataset';
import { createRng } from '../../src/analytics/random';
import { dirichletAlpha, drawDirichlet } from '../../src/analytics/weights';
import type { ResponseRecord } from '../../src/analytics/types';
import { noQuality, ratingSetup } from './synthetic';

const opts = { assessmentId: 'a', dataVersion: 'v', computedAt: 'x', seed: 3, quality: noQuality };

/** One response per rating list: ratings[i] is the impact and financial rating of topic i. */
const resp = (group: string, topics: string[], ratings: number[]): ResponseRecord => ({
  group,
  answers: topics.flatMap((topic, i) => [
    { instrument: 'impact' as const, topic, significance: ratings[i]! },
    { instrument: 'financial' as const, topic, significance: 1 },
  ]),
});

describe('Dirichlet weight draws', () => {
  it('have the moments of a Dirichlet with alpha proportional to the weights', () => {
    // Dirichlet moments (Kotz, Balakrishnan & Johnson, Continuous Multivariate Distributions,
    // vol. 1, 2nd ed., ch. 49): E[X_i] = α_i/α_0, Var[X_i] = α_i(α_0 − α_i)/(α_0²(α_0 + 1)).
    // Weights 2, 1, 1 and 0: α = (1.5, 0.75, 0.75, 0), α_0 = 3 (the number of weighted groups).
    const setup = ratingSetup(
      ['T'],
      [
        { code: 'A', weight: 2 },
        { code: 'B', weight: 1 },
        { code: 'C', weight: 1 },
        { code: 'Z', weight: 0 },
      ],
    );
    const alpha = dirichletAlpha(setup);
    expect([...alpha.values()]).toEqual([1.5, 0.75, 0.75, 0]);
    const rng = createRng(99);
    const n = 40000;
    const sum = { A: 0, B: 0, Z: 0 };
    const sumSq = { A: 0, B: 0 };
    for (let i = 0; i < n; i++) {
      const w = drawDirichlet(alpha, rng);
      sum.A += w.A!;
      sum.B += w.B!;
      sum.Z += w.Z!;
      sumSq.A += w.A! ** 2;
      sumSq.B += w.B! ** 2;
    }
    const mean = (s: number) => s / n;
    const variance = (s: number, q: number) => q / n - (s / n) ** 2;
    expect(mean(sum.A)).toBeCloseTo(0.5, 2);
    expect(mean(sum.B)).toBeCloseTo(0.25, 2);
    expect(sum.Z).toBe(0);
    expect(variance(sum.A, sumSq.A)).toBeCloseTo((1.5 * 1.5) / (9 * 4), 3);
    expect(variance(sum.B, sumSq.B)).toBeCloseTo((0.75 * 2.25) / (9 * 4), 3);
  });

  it('rank ranges are point ranges when every group agrees exactly', () => {
    const topics = ['T1', 'T2', 'T3'];
    const setup = ratingSetup(topics, [{ code: 'A' }, { code: 'B' }]);
    const ds = buildDataset(setup, [resp('A', topics, [5, 3, 1]), resp('B', topics, [5, 3, 1])]);
    const out = runToEnd(computeAnalytics(setup, ds, opts));
    expect(out.topics.map((t) => [t.code, t.rankRange90, t.pMaterialUnderWeights])).toEqual([
      ['T1', [1, 1], 1],
      ['T2', [2, 2], 1],
      ['T3', [3, 3], 0],
    ]);
  });
});

describe('agreement, leave-one-group-out and method sensitivity', () => {
  const topics = ['T1', 'T2', 'T3', 'T4'];
  const setup = ratingSetup(topics, [{ code: 'A' }, { code: 'B' }, { code: 'C' }]);
  // A and B agree; C reverses them. T2 is material only thanks to C (A, B give 2; C gives 5).
  const ds = buildDataset(setup, [
    resp('A', topics, [5, 2, 2, 1]),
    resp('B', topics, [5, 2, 2, 1]),
    resp('C', topics, [1, 5, 2, 5]),
  ]);
  const out = runToEnd(computeAnalytics(setup, ds, opts));

  it('computes Kendall W and Spearman over the groups with a mean for every topic', () => {
    expect(out.agreement.groups).toEqual(['A', 'B', 'C']);
    expect(out.agreement.df).toBe(3);
    expect(out.agreement.spearman.A!.B).toBeCloseTo(1, 12);
    expect(out.agreement.spearman.A!.C!).toBeLessThan(0);
    expect(out.agreement.kendallW!).toBeGreaterThan(0);
    expect(out.agreement.chi2).toBeCloseTo(3 * 3 * out.agreement.kendallW!, 12);
  });

  it('lists the topics whose classification depends on a single group', () => {
    const byGroup = new Map(out.leaveOneGroupOut.map((l) => [l.group, l.flips]));
    // I: T1 = 11/3 (impact), T2 = 3 (impact), T3 = 2, T4 = 7/3. Without C: T1 = 5, T2 = 2.
    expect(byGroup.get('C')).toEqual([{ code: 'T2', classification: 'none' }]);
    // Without A: T1 = 3 (still impact), T2 = 3.5, T4 = 3 → T4 becomes impact-material.
    expect(byGroup.get('A')).toEqual([{ code: 'T4', classification: 'impact' }]);
  });

  it('ranking methods flip top-N membership, not materiality', () => {
    expect(out.methodSensitivity.topN).toBe(2);
    expect(out.methodSensitivity.evaluated).toEqual([
      'ranking:sum',
      'ranking:euclidean',
      'ranking:product',
    ]);
    for (const f of out.methodSensitivity.flips) expect(f.under.startsWith('ranking:')).toBe(true);
  });

  it('severity formulas change negative impacts in assessment mode only', () => {
    const c = { scale: 4, scope: 2, irremediability: 5, likelihood: 3 };
    const potential = { nature: 'negative', occurrence: 'potential', humanRights: false } as const;
    // methodology §9: mean-max → 2.6; mean → 11/3 × 3/5; max → 5 × 3/5
    expect(scoreUnder('mean-max', 'impact', 'assessment', c, potential)).toBeCloseTo(2.6, 12);
    expect(scoreUnder('mean', 'impact', 'assessment', c, potential)).toBeCloseTo(2.2, 12);
    expect(scoreUnder('max', 'impact', 'assessment', c, potential)).toBeCloseTo(3, 12);
    expect(scoreUnder('max', 'impact', 'rating', { significance: 4 }, potential)).toBe(4);
    expect(scoreUnder('max', 'impact', 'assessment', { scale: 4, scope: 2 }, potential)).toBeNull();
  });

  it('lists a severity flip', () => {
    const s = {
      ...ratingSetup(['T1'], [{ code: 'A' }]),
      modes: { impact: 'assessment', financial: 'rating' } as const,
    };
    s.topics[0]!.impactProfile = {
      nature: 'negative',
      occurrence: 'potential',
      humanRights: false,
    };
    const d = buildDataset(s, [
      {
        group: 'A',
        answers: [
          {
            instrument: 'impact',
            topic: 'T1',
            scale: 4,
            scope: 2,
            irremediability: 5,
            likelihood: 3,
          },
        ],
      },
    ]);
    const r = runToEnd(computeAnalytics(s, d, { ...opts, replicates: 20, draws: 20 }));
    // 2.6 (not material) → 3 under max (material); 2.2 under mean (still not)
    expect(r.methodSensitivity.flips).toEqual([
      { code: 'T1', under: 'severity:max', material: true },
    ]);
  });
});
