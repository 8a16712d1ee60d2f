import {
  SCORE_EPSILON,
  axisResult,
  classify,
  meetsThreshold,
  nearThreshold,
  respondentScore,
  type Classification,
} from '../../src/scoring';
import { group, settings, talliesFrom } from './scoring.fixtures';

describe('classify: worked example of methodology section 9', () => {
  it('thresholds 3/3, rule either: I = 3.5, F = 1.6 -> impact, material, not borderline', () => {
    expect(classify(3.5, 1.6, settings())).toEqual({
      impactMaterial: true,
      financialMaterial: false,
      classification: 'impact',
      material: true,
      borderline: false,
    });
  });

  it('rule both -> not material, same classification', () => {
    const m = classify(3.5, 1.6, settings({ rule: 'both' }));
    expect(m.material).toBe(false);
    expect(m.classification).toBe('impact');
  });
});

describe('classify: classification and rule', () => {
  it.each<[number | null, number | null, Classification, boolean, boolean]>([
    // I, F, classification, material (either), material (both)
    [3, 3, 'double', true, true],
    [4.5, 3.2, 'double', true, true],
    [3.5, 2.9, 'impact', true, false],
    [2.9, 3.5, 'financial', true, false],
    [2.99, 2.99, 'none', false, false],
    [null, 4, 'financial', true, false],
    [4, null, 'impact', true, false],
    [null, null, 'none', false, false],
  ])('I = %p, F = %p -> %s', (I, F, classification, either, both) => {
    expect(classify(I, F, settings()).classification).toBe(classification);
    expect(classify(I, F, settings()).material).toBe(either);
    expect(classify(I, F, settings({ rule: 'both' })).material).toBe(both);
  });

  it('uses each axis its own threshold', () => {
    const s = settings({ thresholds: { impact: 4, financial: 2 } });
    expect(classify(3.9, 2, s).classification).toBe('financial');
    expect(classify(4, 1.9, s).classification).toBe('impact');
  });
});

describe('threshold slack', () => {
  it('a score that is 3 on paper but 2.9999999999999996 in floating point counts as 3', () => {
    // negative potential: (5, 4, 4, likelihood 5) -> 14/3 and (4, 2, 2, likelihood 2) -> 4/3; mean 3 on paper
    const profile = { nature: 'negative', occurrence: 'potential', humanRights: false } as const;
    const xs = [
      respondentScore(
        'impact',
        'assessment',
        { scale: 5, scope: 4, irremediability: 4, likelihood: 5 },
        profile,
      ),
      respondentScore(
        'impact',
        'assessment',
        { scale: 4, scope: 2, irremediability: 2, likelihood: 2 },
        profile,
      ),
    ];
    const I = axisResult(
      'impact',
      [group('A', 'impact')],
      talliesFrom({ A: xs }),
      settings(),
    ).score;
    expect(I).toBeLessThan(3); // the premise: rounding really lands below the threshold
    expect(I).toBeCloseTo(3, 12);
    expect(classify(I, null, settings()).classification).toBe('impact');
  });

  it.each<[number | null, number, boolean]>([
    [3, 3, true],
    [3 - SCORE_EPSILON / 2, 3, true],
    [3 - 2 * SCORE_EPSILON, 3, false],
    [2.9999, 3, false],
    [null, 3, false],
    [null, 0, false],
  ])('meetsThreshold(%p, %p) = %p', (score, threshold, expected) => {
    expect(meetsThreshold(score, threshold)).toBe(expected);
  });
});

describe('borderline', () => {
  it.each<[number | null, number | null, number, boolean]>([
    // I, F, band, borderline
    [3.25, 1, 0.25, true],
    [2.75, 1, 0.25, true],
    [3.26, 1, 0.25, false],
    [2.74, 1, 0.25, false],
    [1, 3.2, 0.25, true],
    [1, 2.8, 0.25, true],
    [4, 4, 0.25, false],
    [3.5, 1.6, 0.25, false],
    [3.5, 1.6, 0.5, true],
    [3, null, 0, true],
    [3.01, null, 0, false],
    [null, null, 0.25, false],
    [null, null, 10, false],
  ])('I = %p, F = %p, band %p -> %p', (I, F, band, expected) => {
    expect(classify(I, F, settings({ borderlineBand: band })).borderline).toBe(expected);
  });

  it('nearThreshold is symmetric around the threshold and null is never near', () => {
    expect(nearThreshold(2.8, 3, 0.2)).toBe(true);
    expect(nearThreshold(3.2, 3, 0.2)).toBe(true);
    expect(nearThreshold(null, 3, 5)).toBe(false);
  });
});
