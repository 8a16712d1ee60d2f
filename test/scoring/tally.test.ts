import {
  addTally,
  emptyTally,
  groupStats,
  isEmptyTally,
  tallyDelta,
  tallyOf,
} from '../../src/scoring';
import { tallyFrom } from './scoring.fixtures';

describe('tally', () => {
  it('emptyTally is all zeros and a fresh object each time', () => {
    const a = emptyTally();
    a.n = 7;
    expect(emptyTally()).toEqual({ n: 0, sum: 0, sumSq: 0, dontKnow: 0 });
  });

  it.each<[number | null, object]>([
    [3, { n: 1, sum: 3, sumSq: 9, dontKnow: 0 }],
    [2.6, { n: 1, sum: 2.6, sumSq: 2.6 * 2.6, dontKnow: 0 }],
    [null, { n: 0, sum: 0, sumSq: 0, dontKnow: 1 }],
  ])('tallyDelta(%p) is what one response adds', (x, expected) => {
    expect(tallyDelta(x)).toEqual(expected);
  });

  it('addTally adds componentwise and has emptyTally as identity', () => {
    const a = { n: 2, sum: 5, sumSq: 13, dontKnow: 1 };
    const b = { n: 3, sum: 6, sumSq: 14, dontKnow: 4 };
    expect(addTally(a, b)).toEqual({ n: 5, sum: 11, sumSq: 27, dontKnow: 5 });
    expect(addTally(a, emptyTally())).toEqual(a);
  });

  it('tallyOf builds the same tally as adding deltas one by one', () => {
    const xs = [5, null, 1, 3, null, 2.6];
    expect(tallyOf(xs)).toEqual(tallyFrom(xs));
    expect(tallyOf(xs)).toEqual({ n: 4, sum: 11.6, sumSq: 25 + 1 + 9 + 2.6 * 2.6, dontKnow: 2 });
  });

  it('a tally with only "don\'t know" is not empty', () => {
    expect(isEmptyTally(emptyTally())).toBe(true);
    expect(isEmptyTally(tallyFrom([null]))).toBe(false);
    expect(isEmptyTally(tallyFrom([4]))).toBe(false);
  });
});

describe('groupStats', () => {
  it.each<
    [
      string,
      (number | null)[],
      { n: number; mean: number | null; sd: number | null; dontKnow: number },
    ]
  >([
    ['no answers', [], { n: 0, mean: null, sd: null, dontKnow: 0 }],
    ['only "don\'t know"', [null, null], { n: 0, mean: null, sd: null, dontKnow: 2 }],
    ['one answer: sd undefined', [4], { n: 1, mean: 4, sd: null, dontKnow: 0 }],
    ['golden group B: 1, 3', [1, 3], { n: 2, mean: 2, sd: Math.SQRT2, dontKnow: 0 }],
    ['golden group A: 5, 5, 5, 5', [5, 5, 5, 5], { n: 4, mean: 5, sd: 0, dontKnow: 0 }],
    [
      '"don\'t know" excluded from the mean',
      [5, null, 1],
      { n: 2, mean: 3, sd: Math.sqrt(8), dontKnow: 1 },
    ],
    [
      'sample sd uses n - 1',
      [2, 4, 4, 4, 5, 5, 7, 9],
      { n: 8, mean: 5, sd: Math.sqrt(32 / 7), dontKnow: 0 },
    ],
  ])('%s', (_label, xs, expected) => {
    const s = groupStats(tallyFrom(xs));
    expect(s.n).toBe(expected.n);
    expect(s.dontKnow).toBe(expected.dontKnow);
    for (const k of ['mean', 'sd'] as const) {
      if (expected[k] === null) expect(s[k]).toBeNull();
      else expect(s[k]).toBeCloseTo(expected[k], 12);
    }
  });

  it('clamps a slightly negative variance from rounding to sd 0 instead of NaN', () => {
    expect(groupStats({ n: 3, sum: 3, sumSq: 3 - 1e-12, dontKnow: 0 }).sd).toBe(0);
  });

  it('equal non-integer answers give an sd of (almost) 0, never NaN', () => {
    const sd = groupStats(tallyFrom(Array(7).fill(13 / 3))).sd;
    expect(sd).not.toBeNaN();
    expect(sd).toBeLessThan(1e-6);
  });
});
