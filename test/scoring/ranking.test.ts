import { distance, priority, rankTopics, type RankingMethod, type Rule } from '../../src/scoring';
import { settings } from './scoring.fixtures';

describe('priority: worked example of methodology section 9', () => {
  it('rule either: P = max(1.1667, 0.5333) = 1.1667', () => {
    expect(priority(3.5, 1.6, settings())).toBeCloseTo(1.1667, 4);
  });
  it('rule both: P = 0.5333', () => {
    expect(priority(3.5, 1.6, settings({ rule: 'both' }))).toBeCloseTo(0.5333, 4);
  });
});

describe('priority: every method, null counts as 0', () => {
  it.each<[RankingMethod, Rule, number | null, number | null, number]>([
    ['exceedance', 'either', 3.5, 1.6, 3.5 / 3],
    ['exceedance', 'both', 3.5, 1.6, 1.6 / 3],
    ['exceedance', 'either', null, 1.6, 1.6 / 3],
    ['exceedance', 'both', null, 4.5, 0],
    ['exceedance', 'either', null, null, 0],
    ['sum', 'either', 3.5, 1.6, 5.1],
    ['sum', 'both', 3.5, null, 3.5],
    ['euclidean', 'either', 3, 4, 5],
    ['euclidean', 'either', null, 1.6, 1.6],
    ['product', 'either', 3.5, 1.6, 5.6],
    ['product', 'both', 3.5, null, 0],
  ])('%s (%s): I = %p, F = %p -> %p', (rankingMethod, rule, I, F, expected) => {
    expect(priority(I, F, settings({ rankingMethod, rule }))).toBeCloseTo(expected, 12);
  });

  it('exceedance scales each axis by its own threshold', () => {
    expect(priority(3.5, 1.6, settings({ thresholds: { impact: 4, financial: 2 } }))).toBeCloseTo(
      0.875,
      12,
    );
    expect(priority(3.5, 1.6, settings({ thresholds: { impact: 5, financial: 1 } }))).toBeCloseTo(
      1.6,
      12,
    );
  });

  it('only exceedance depends on the rule', () => {
    for (const rankingMethod of ['sum', 'euclidean', 'product'] as const) {
      expect(priority(3.5, 1.6, settings({ rankingMethod, rule: 'both' }))).toBe(
        priority(3.5, 1.6, settings({ rankingMethod, rule: 'either' })),
      );
    }
  });

  it('distance is the Euclidean norm', () => {
    expect(distance(3, 4)).toBe(5);
  });
});

const codes = (ranked: { code: string }[]) => ranked.map((r) => r.code);

describe('rankTopics: methods order topics differently', () => {
  const topics = [
    { code: 'C', impact: 2, financial: 2.5 },
    { code: 'A', impact: 5, financial: 1 },
    { code: 'B', impact: 3.2, financial: 3.2 },
  ];
  it.each<[RankingMethod, Rule, string[]]>([
    ['exceedance', 'either', ['A', 'B', 'C']], // 1.667, 1.067, 0.833
    ['exceedance', 'both', ['B', 'C', 'A']], // 1.067, 0.667, 0.333
    ['sum', 'either', ['B', 'A', 'C']], // 6.4, 6, 4.5
    ['euclidean', 'either', ['A', 'B', 'C']], // 5.10, 4.53, 3.20
    ['product', 'either', ['B', 'A', 'C']], // 10.24, then A and C tie on 5: A is farther out
  ])('%s (%s) -> %p', (rankingMethod, rule, expected) => {
    const ranked = rankTopics(topics, settings({ rankingMethod, rule }));
    expect(codes(ranked)).toEqual(expected);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3]);
  });
});

describe('rankTopics: tie-breaks', () => {
  it('equal P: the topic farther from the origin ranks first', () => {
    const ranked = rankTopics(
      [
        { code: 'a', impact: 3.5, financial: 2 },
        { code: 'b', impact: 3.5, financial: 3 },
      ],
      settings(),
    );
    expect(ranked.at(0)!.priority).toBe(ranked.at(1)!.priority);
    expect(codes(ranked)).toEqual(['b', 'a']);
  });

  it('equal P and distance: code ascending (code-unit order, not locale)', () => {
    const ranked = rankTopics(
      [
        { code: 'b', impact: 4, financial: 2 },
        { code: 'B', impact: 2, financial: 4 },
        { code: 'a', impact: 4, financial: 2 },
      ],
      settings({ rankingMethod: 'sum' }),
    );
    expect(codes(ranked)).toEqual(['B', 'a', 'b']);
  });

  it('P equal on paper but apart in the last bit still goes to the tie-break', () => {
    // 2.4 / 3 = 0.7999999999999999 and 2 / 2.5 = 0.8
    const s = settings({ thresholds: { impact: 3, financial: 2.5 } });
    const ranked = rankTopics(
      [
        { code: 'fin', impact: null, financial: 2 },
        { code: 'imp', impact: 2.4, financial: null },
      ],
      s,
    );
    expect(ranked.at(0)!.priority).not.toBe(ranked.at(1)!.priority); // the premise
    expect(codes(ranked)).toEqual(['imp', 'fin']); // distance 2.4 > 2
  });

  it('topics with both axes null come last, even after a scored topic with P = 0, and among themselves by code', () => {
    const ranked = rankTopics(
      [
        { code: 'a', impact: null, financial: null },
        { code: 'z', impact: 0.2, financial: null },
        { code: 'c', impact: null, financial: null },
        { code: 'm', impact: 1, financial: 1 },
      ],
      settings({ rankingMethod: 'product' }),
    );
    expect(codes(ranked)).toEqual(['m', 'z', 'a', 'c']);
    expect(ranked.map((r) => r.priority)).toEqual([1, 0, 0, 0]);
  });

  it('a topic scored 0 on one axis still ranks ahead of an unscored one', () => {
    // valid answers never give 0; the rule must not depend on that
    const ranked = rankTopics(
      [
        { code: 'a', impact: null, financial: null },
        { code: 'z', impact: 0, financial: null },
      ],
      settings(),
    );
    expect(codes(ranked)).toEqual(['z', 'a']);
  });
});

describe('rankTopics: output', () => {
  it('returns copies with priority and rank, keeping extra fields, without touching the input', () => {
    const input = [
      { code: 'x', impact: 1, financial: 1, index: 0 },
      { code: 'y', impact: 4, financial: 1, index: 1 },
    ];
    const before = structuredClone(input);
    const ranked = rankTopics(input, settings());
    expect(ranked).toEqual([
      { code: 'y', impact: 4, financial: 1, index: 1, priority: 4 / 3, rank: 1 },
      { code: 'x', impact: 1, financial: 1, index: 0, priority: 1 / 3, rank: 2 },
    ]);
    expect(input).toEqual(before);
  });

  it('an empty list ranks to an empty list', () => {
    expect(rankTopics([], settings())).toEqual([]);
  });
});
