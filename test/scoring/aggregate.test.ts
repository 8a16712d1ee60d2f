import { axisResult, axisScore, isIncluded, weightOf, type GroupFigure } from '../../src/scoring';
import { group, settings, talliesFrom } from './scoring.fixtures';

const A = group('A', 'impact');
const B = group('B', 'impact');
const GOLDEN = talliesFrom({ A: [5, 5, 5, 5], B: [1, 3] });

describe('axisResult: worked example of methodology section 9', () => {
  it('weights 1 and 1: I = 3.5, pooledMean = 4.0', () => {
    const r = axisResult('impact', [A, B], GOLDEN, settings());
    expect(r.score).toBeCloseTo(3.5, 12);
    expect(r.pooledMean).toBeCloseTo(4.0, 12);
    expect(r.n).toBe(6);
    expect(r.dontKnow).toBe(0);
    expect(r.byGroup).toEqual({
      A: { n: 4, mean: 5, sd: 0, dontKnow: 0 },
      B: { n: 2, mean: 2, sd: Math.SQRT2, dontKnow: 0 },
    });
  });

  it('weights 3 and 1: I = 4.25, pooledMean unchanged', () => {
    const r = axisResult('impact', [A, B], GOLDEN, settings({ weights: { A: 3, B: 1 } }));
    expect(r.score).toBeCloseTo(4.25, 12);
    expect(r.pooledMean).toBeCloseTo(4.0, 12);
  });
});

describe('axisScore: which groups are included', () => {
  it.each<[string, object, number | null]>([
    ['all included by default', {}, 3.5],
    ['minGroupN 3 excludes B (n = 2)', { minGroupN: 3 }, 5],
    ['minGroupN 2 keeps B (n = 2, boundary)', { minGroupN: 2 }, 3.5],
    ['minGroupN 5 excludes both -> null', { minGroupN: 5 }, null],
    ['weight 0 excludes B', { weights: { B: 0 } }, 5],
    ['weight 0 for every group -> null', { weights: { A: 0, B: 0 } }, null],
    ['a weight for an unrelated group changes nothing', { weights: { Z: 10 } }, 3.5],
    ['fractional weights', { weights: { A: 0.5, B: 1.5 } }, (0.5 * 5 + 1.5 * 2) / 2],
  ])('%s', (_label, patch, expected) => {
    const r = axisResult('impact', [A, B], GOLDEN, settings(patch));
    if (expected === null) expect(r.score).toBeNull();
    else expect(r.score).toBeCloseTo(expected, 12);
    // pooledMean describes the data and never follows the inclusion rules
    expect(r.pooledMean).toBeCloseTo(4.0, 12);
  });

  it('a group not assigned the instrument is reported but not scored', () => {
    const fin = group('F', 'financial');
    const r = axisResult('impact', [A, fin], talliesFrom({ A: [4], F: [1, 1] }), settings());
    expect(r.score).toBe(4);
    expect(r.byGroup.F).toEqual({ n: 2, mean: 1, sd: 0, dontKnow: 0 });
    expect(r.n).toBe(3);
    expect(r.pooledMean).toBe(2);
  });

  it('a tally from a group unknown to the assessment is reported but not scored', () => {
    const r = axisResult('impact', [A], talliesFrom({ A: [4], X: [2] }), settings());
    expect(r.score).toBe(4);
    expect(Object.keys(r.byGroup)).toEqual(['A', 'X']);
  });

  it('a group with only "don\'t know" has no mean and is excluded, its count reported', () => {
    const r = axisResult(
      'impact',
      [A, B],
      talliesFrom({ A: [4, null], B: [null, null] }),
      settings({ minGroupN: 0 }),
    );
    expect(r.score).toBe(4);
    expect(r.byGroup.B).toEqual({ n: 0, mean: null, sd: null, dontKnow: 2 });
    expect(r.dontKnow).toBe(3);
    expect(r.n).toBe(1);
    expect(r.pooledMean).toBe(4); // "don't know" is excluded from every mean
  });

  it('axisScore works from group figures directly', () => {
    const byGroup: Record<string, GroupFigure> = {
      A: { n: 10, mean: 4, sd: 1, dontKnow: 0 },
      B: { n: 1000, mean: 1, sd: 1, dontKnow: 0 },
    };
    // each group counts by its weight, not by its size
    expect(axisScore('impact', [A, B], byGroup, settings())).toBe(2.5);
    expect(axisScore('financial', [A, B], byGroup, settings())).toBeNull();
  });
});

describe('axisResult: byGroup rows', () => {
  it('lists every group assigned the instrument, even with no answers, in group order', () => {
    const C = group('C', 'impact', 'financial');
    const F = group('F', 'financial');
    const r = axisResult('impact', [C, A, F], talliesFrom({ A: [3] }), settings());
    expect(Object.keys(r.byGroup)).toEqual(['C', 'A']);
    expect(r.byGroup.C).toEqual({ n: 0, mean: null, sd: null, dontKnow: 0 });
  });

  it('omits unassigned groups whose tally is empty', () => {
    const r = axisResult(
      'impact',
      [A],
      { ...talliesFrom({ A: [3] }), F: { n: 0, sum: 0, sumSq: 0, dontKnow: 0 } },
      settings(),
    );
    expect(Object.keys(r.byGroup)).toEqual(['A']);
  });

  it('no tallies at all: nothing scored, zero counts', () => {
    const r = axisResult('impact', [A, B], undefined, settings());
    expect(r).toEqual({
      score: null,
      pooledMean: null,
      n: 0,
      dontKnow: 0,
      byGroup: {
        A: { n: 0, mean: null, sd: null, dontKnow: 0 },
        B: { n: 0, mean: null, sd: null, dontKnow: 0 },
      },
    });
  });
});

describe('weights and inclusion helpers', () => {
  it.each<[string, Record<string, number>, number]>([
    ['missing -> 1', {}, 1],
    ['set -> as set', { A: 2.5 }, 2.5],
    ['0 stays 0', { A: 0 }, 0],
  ])('weightOf: %s', (_label, weights, expected) => {
    expect(weightOf('A', weights)).toBe(expected);
  });

  it('a group code such as "constructor" is not looked up on Object.prototype', () => {
    expect(weightOf('constructor', {})).toBe(1);
    const g = group('constructor', 'impact');
    expect(axisResult('impact', [g], talliesFrom({ constructor: [2] }), settings()).score).toBe(2);
  });

  it('a group code "__proto__" becomes an ordinary row', () => {
    const g = group('__proto__', 'impact');
    const tallies = JSON.parse('{"__proto__": {"n": 1, "sum": 4, "sumSq": 16, "dontKnow": 0}}');
    const r = axisResult('impact', [g], tallies, settings());
    expect(Object.hasOwn(r.byGroup, '__proto__')).toBe(true);
    expect(r.score).toBe(4);
  });

  it.each<[string, string[], GroupFigure | undefined, object, boolean]>([
    [
      'assigned, weighted, answered',
      ['impact'],
      { n: 1, mean: 3, sd: null, dontKnow: 0 },
      {},
      true,
    ],
    ['not assigned', ['financial'], { n: 1, mean: 3, sd: null, dontKnow: 0 }, {}, false],
    ['no figures', ['impact'], undefined, {}, false],
    ['no mean', ['impact'], { n: 0, mean: null, sd: null, dontKnow: 3 }, { minGroupN: 0 }, false],
    [
      'weight 0',
      ['impact'],
      { n: 1, mean: 3, sd: null, dontKnow: 0 },
      { weights: { G: 0 } },
      false,
    ],
    [
      'below minGroupN',
      ['impact'],
      { n: 1, mean: 3, sd: null, dontKnow: 0 },
      { minGroupN: 2 },
      false,
    ],
  ])('isIncluded: %s', (_label, instruments, stats, patch, expected) => {
    const g = { code: 'G', instruments: instruments as ('impact' | 'financial')[] };
    expect(isIncluded('impact', g, stats, settings(patch))).toBe(expected);
  });
});
