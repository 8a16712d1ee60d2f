import { kendallW, spearman } from '../../src/analytics/agreement';
import { averageRanks, chiSquareUpper, studentT } from '../../src/analytics/stats';

describe('Kendall W with ties', () => {
  // R's documentation of stats::friedman.test, example "RoundingTimes" (Hollander & Wolfe 1973,
  // p. 140 ff.): 22 players (the raters) time 3 methods of rounding first base (the items), with
  // ties in four rows. R prints "Friedman chi-squared = 11.143, df = 2, p-value = 0.003805"; the
  // tie-corrected Friedman statistic is exactly χ² = m(n − 1)W of the tie-corrected Kendall's W.
  const roundingTimes = [
    [5.4, 5.5, 5.55],
    [5.85, 5.7, 5.75],
    [5.2, 5.6, 5.5],
    [5.55, 5.5, 5.4],
    [5.9, 5.85, 5.7],
    [5.45, 5.55, 5.6],
    [5.4, 5.4, 5.35],
    [5.45, 5.5, 5.35],
    [5.25, 5.15, 5.0],
    [5.85, 5.8, 5.7],
    [5.25, 5.2, 5.1],
    [5.65, 5.55, 5.45],
    [5.6, 5.35, 5.45],
    [5.05, 5.0, 4.95],
    [5.5, 5.5, 5.4],
    [5.45, 5.55, 5.5],
    [5.55, 5.55, 5.35],
    [5.45, 5.5, 5.55],
    [5.5, 5.45, 5.25],
    [5.65, 5.6, 5.4],
    [5.7, 5.65, 5.55],
    [6.3, 6.3, 6.25],
  ];

  it('reproduces R friedman.test(RoundingTimes)', () => {
    const r = kendallW(roundingTimes);
    expect(r.chi2).toBeCloseTo(11.143, 3);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(0.003805, 6);
    expect(r.kendallW).toBeCloseTo(11.143 / (22 * 2), 4);
  });

  it('is 1 for identical rankings and null below two raters', () => {
    const row = [1, 2, 3, 4, 5];
    expect(kendallW([row, row, row]).kendallW).toBeCloseTo(1, 12);
    expect(kendallW([row]).kendallW).toBeNull();
    // every rater ties every item: W is undefined, not a division by zero
    expect(
      kendallW([
        [2, 2, 2],
        [3, 3, 3],
      ]).kendallW,
    ).toBeNull();
  });

  it('is 0 for two exactly opposed raters', () => {
    expect(
      kendallW([
        [1, 2, 3, 4],
        [4, 3, 2, 1],
      ]).kendallW,
    ).toBeCloseTo(0, 12);
  });
});

describe('Spearman rho with ties', () => {
  it('matches the tie case of the modle test suite (scipy.stats.spearmanr value)', () => {
    // paulsengroup/modle, test/units/.../spearman: EXPECT_FLOAT_EQ(rho, 0.024316221747202587)
    const v1 = [17, 86, 60, 77, 47, 3, 70, 47, 88, 92];
    const v2 = [70, 29, 85, 61, 80, 34, 60, 31, 73, 66];
    expect(spearman(v1, v2)).toBeCloseTo(0.024316221747202587, 12);
  });

  it('matches the no-tie case of the same suite', () => {
    const v1 = [17, 86, 60, 77, 47, 3, 70, 87, 88, 92];
    const v2 = [70, 29, 85, 61, 80, 34, 60, 31, 73, 66];
    expect(spearman(v1, v2)).toBeCloseTo(-0.16363636363636364, 12);
  });

  it('matches pandas Series.corr(method="spearman") with heavy ties', () => {
    // pandas value 0.9486 (3 places), as asserted in a published pandas-based test suite
    expect(spearman([0.2, 0.7, 0.8, 0.5, 0.3], [0, 2, 2, 1, 0])).toBeCloseTo(0.9486, 3);
    expect(spearman([0.2, 0.7, 0.8, 0.5, 0.3], [0, 0, 1, 0, 0])).toBeCloseTo(0.7071, 3);
  });

  it('is null when one side has no variance', () => {
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull();
  });

  it('uses average ranks for ties', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe('distributions (stdlib)', () => {
  it('t quantiles match the published table values (R qt)', () => {
    // qt(0.975, df) in R: 12.70620473617471 (df 1), 2.228138851986274 (df 10); the textbook
    // table of t(0.975) (e.g. Montgomery & Runger, Applied Statistics, Table V): 2.042 (30),
    // 2.009 (50), 1.980 (120), 1.960 (infinity).
    expect(studentT(0.975, 1)).toBeCloseTo(12.70620473617471, 10);
    expect(studentT(0.975, 10)).toBeCloseTo(2.228138851986274, 12);
    expect(studentT(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentT(0.975, 50)).toBeCloseTo(2.009, 3);
    expect(studentT(0.975, 120)).toBeCloseTo(1.98, 3);
    expect(studentT(0.975, 1e7)).toBeCloseTo(1.96, 3);
  });

  it('chi-square upper tail matches R pchisq', () => {
    // 1 - pchisq(3.841458820694124, 1) = 0.05; 1 - pchisq(18.30703805327515, 10) = 0.05
    expect(chiSquareUpper(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareUpper(18.30703805327515, 10)).toBeCloseTo(0.05, 12);
  });
});
