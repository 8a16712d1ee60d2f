import { DEFAULT_SETTINGS, METHOD_ID, resolveSettings } from '../../src/scoring';

describe('settings', () => {
  it('defaults are those of the methodology', () => {
    expect(METHOD_ID).toBe('dma-v1');
    expect(DEFAULT_SETTINGS).toEqual({
      thresholds: { impact: 3, financial: 3 },
      rule: 'either',
      rankingMethod: 'exceedance',
      borderlineBand: 0.25,
      minGroupN: 1,
      minReportN: 5,
      weights: {},
    });
  });

  it('defaults cannot be changed by a caller', () => {
    expect(Object.isFrozen(DEFAULT_SETTINGS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SETTINGS.thresholds)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SETTINGS.weights)).toBe(true);
  });

  it('resolveSettings fills what a patch leaves out, including one threshold of two', () => {
    const s = resolveSettings({ thresholds: { financial: 2.5 }, rule: 'both', weights: { A: 2 } });
    expect(s).toEqual({
      ...DEFAULT_SETTINGS,
      thresholds: { impact: 3, financial: 2.5 },
      rule: 'both',
      weights: { A: 2 },
    });
  });

  it('an explicit undefined does not erase a default', () => {
    expect(resolveSettings({ minReportN: undefined, thresholds: undefined })).toEqual(
      DEFAULT_SETTINGS,
    );
  });

  it('returns objects the caller may change without touching the defaults', () => {
    const s = resolveSettings();
    s.thresholds.impact = 9;
    s.weights.A = 0;
    expect(DEFAULT_SETTINGS.thresholds.impact).toBe(3);
    expect(DEFAULT_SETTINGS.weights).toEqual({});
  });
});
