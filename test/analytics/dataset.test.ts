import { buildDataset, scoreUnder, type Tallies } from '../../src/analytics/dataset';
import { createRng } from '../../src/analytics/random';
import type { AnalyticsSetup, ResponseRecord, SeverityFormula } from '../../src/analytics/types';
import {
  addTally,
  dict,
  respondentScore,
  tallyDelta,
  type Axis,
  type Tally,
} from '../../src/scoring';
import { ratingSetup } from './synthetic';

/** Tallies added one answer at a time, as the results' counters define them. */
function naiveTallies(
  setup: AnalyticsSetup,
  responses: ResponseRecord[],
  score: (axis: Axis, a: ResponseRecord['answers'][number], topic: number) => number | null,
): Tallies {
  const out: Tallies = dict();
  const groups = new Set(setup.groups.map((g) => g.code));
  for (const r of responses) {
    if (!groups.has(r.group)) continue;
    for (const a of r.answers) {
      const ti = setup.topics.findIndex((t) => t.code === a.topic);
      if (ti < 0) continue;
      const byAxis = (out[a.topic] ??= dict());
      const byGroup = (byAxis[a.instrument] ??= dict<Tally>());
      const before = byGroup[r.group] ?? { n: 0, sum: 0, sumSq: 0, dontKnow: 0 };
      byGroup[r.group] = addTally(before, tallyDelta(score(a.instrument, a, ti)));
    }
  }
  return out;
}

/** Random answers 1–5 with some "don't know" and missing criteria, an unknown topic and group. */
function responses(setup: AnalyticsSetup, count: number, seed: number): ResponseRecord[] {
  const rng = createRng(seed);
  const v = () => (rng.uniform() < 0.1 ? null : 1 + rng.int(5));
  const maybe = () => (rng.uniform() < 0.05 ? undefined : v());
  return Array.from({ length: count }, (_, i) => ({
    group: i % 17 === 0 ? 'gone' : setup.groups[i % setup.groups.length]!.code,
    answers: [...setup.topics.map((t) => t.code), 'removed'].flatMap((topic) => [
      {
        instrument: 'impact' as const,
        topic,
        significance: v(),
        scale: v(),
        scope: maybe(),
        irremediability: v(),
        likelihood: v(),
      },
      {
        instrument: 'financial' as const,
        topic,
        significance: maybe(),
        magnitude: v(),
        likelihood: v(),
      },
    ]),
  }));
}

describe('DatasetBuilder tallies', () => {
  it('equal the answer-by-answer tallies in rating mode', () => {
    const setup = ratingSetup(
      ['A', 'B', 'C'],
      [{ code: 'g1' }, { code: 'g2', instruments: ['impact'] }],
    );
    const rs = responses(setup, 300, 1);
    const ds = buildDataset(setup, rs);
    expect(ds.tallies).toEqual(
      naiveTallies(setup, rs, (axis, a, ti) =>
        respondentScore(axis, 'rating', a, setup.topics[ti]!.impactProfile),
      ),
    );
    expect(ds.severityTallies.size).toBe(0);
    expect(ds.groups.map((g) => g.n)).toEqual([
      rs.filter((r) => r.group === 'g1').length,
      rs.filter((r) => r.group === 'g2').length,
    ]);
  });

  it('equal them in assessment mode, under every severity formula', () => {
    const base = ratingSetup(
      ['A', 'B', 'C', 'D'],
      [{ code: 'g1' }, { code: 'g2' }, { code: 'g3' }],
    );
    const setup: AnalyticsSetup = {
      ...base,
      modes: { impact: 'assessment', financial: 'assessment' },
      topics: base.topics.map((t, i) => ({
        ...t,
        impactProfile: [
          undefined,
          { nature: 'negative', occurrence: 'potential', humanRights: false },
          { nature: 'positive', occurrence: 'potential', humanRights: false },
          { nature: 'negative', occurrence: 'potential', humanRights: true },
        ][i] as AnalyticsSetup['topics'][number]['impactProfile'],
      })),
    };
    const rs = responses(setup, 400, 2);
    const ds = buildDataset(setup, rs);
    const profile = (ti: number) => setup.topics[ti]!.impactProfile;
    expect(ds.tallies).toEqual(
      naiveTallies(setup, rs, (axis, a, ti) => respondentScore(axis, 'assessment', a, profile(ti))),
    );
    for (const f of ['mean', 'max'] as SeverityFormula[])
      expect(ds.severityTallies.get(f)).toEqual(
        naiveTallies(setup, rs, (axis, a, ti) => scoreUnder(f, axis, 'assessment', a, profile(ti))),
      );
  });
});
