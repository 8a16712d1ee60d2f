import { axisResult, suppressSmallGroups, type AxisResult } from '../../src/scoring';
import { group, settings, talliesFrom } from './scoring.fixtures';

const HIDDEN = { suppressed: true, mean: null, n: null, sd: null, dontKnow: null };

function sample(): AxisResult {
  const groups = [
    group('big', 'impact'),
    group('small', 'impact'),
    group('none', 'impact'),
    group('five', 'impact'),
  ];
  const tallies = talliesFrom({
    big: [5, 4, 4, 3, 5, 2, null],
    small: [1, 1, null],
    five: [3, 3, 3, 3, 3],
  });
  return axisResult('impact', groups, tallies, settings());
}

describe('suppressSmallGroups', () => {
  it('hides every figure of groups with n below minReportN and keeps the others', () => {
    const axis = sample();
    const shown = suppressSmallGroups(axis, 5);
    expect(shown.byGroup.small).toEqual(HIDDEN);
    expect(shown.byGroup.none).toEqual(HIDDEN);
    expect(shown.byGroup.big).toEqual({ suppressed: false, ...axis.byGroup.big });
    expect(shown.byGroup.five).toEqual({ suppressed: false, mean: 3, n: 5, sd: 0, dontKnow: 0 });
  });

  it('leaves the axis score and totals alone: scores still use small groups', () => {
    const axis = sample();
    const shown = suppressSmallGroups(axis, 5);
    expect(shown.score).toBe(axis.score);
    expect(shown.score).toBeCloseTo((23 / 6 + 1 + 3) / 3, 12);
    expect([shown.pooledMean, shown.n, shown.dontKnow]).toEqual([
      axis.pooledMean,
      axis.n,
      axis.dontKnow,
    ]);
  });

  it.each<[number, string[]]>([
    [1, ['none']],
    [3, ['small', 'none']],
    [6, ['small', 'none', 'five']],
    [7, ['big', 'small', 'none', 'five']],
  ])('minReportN %p suppresses %p', (minReportN, expected) => {
    const shown = suppressSmallGroups(sample(), minReportN);
    const suppressed = Object.entries(shown.byGroup)
      .filter(([, g]) => g.suppressed)
      .map(([code]) => code);
    expect(suppressed).toEqual(expected);
  });

  it('does not modify its input', () => {
    const axis = sample();
    const before = structuredClone(axis);
    suppressSmallGroups(axis, 100);
    expect(axis).toEqual(before);
  });
});
