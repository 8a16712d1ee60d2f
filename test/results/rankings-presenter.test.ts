import {
  ariaSort,
  parseSort,
  rankingRows,
  sortHref,
  sortRows,
  type RankingRow,
  type SortKey,
} from '../../src/results/rankings.presenter';
import { parseSettingsForm } from '../../src/results/settings-form';
import { scriptJson } from '../../src/results/results.presenter';
import { ValidationError } from '../../src/shared/errors';
import type { TopicResult } from '../../src/scoring';

const axis = (score: number | null, byGroup: TopicResult['impact']['byGroup'] = {}) => ({
  score,
  pooledMean: score,
  n: 3,
  dontKnow: 0,
  byGroup,
});
const topic = (
  code: string,
  rank: number,
  impact: number | null,
  financial: number | null,
  extra: Partial<TopicResult> = {},
): TopicResult => ({
  code,
  name: { en: `Topic ${code}`, 'zh-Hant': `議題 ${code}` },
  category: 'E',
  impact: axis(impact),
  financial: axis(financial),
  classification: 'none',
  material: false,
  computedMaterial: false,
  borderline: false,
  priority: 1 / rank,
  rank,
  override: null,
  ...extra,
});
const settings = {
  thresholds: { impact: 3, financial: 3 },
  rule: 'either',
  rankingMethod: 'exceedance',
  borderlineBand: 0.25,
  minGroupN: 1,
  minReportN: 5,
  weights: {},
} as never;

describe('rankings presenter', () => {
  const rows: RankingRow[] = rankingRows(
    { topics: [topic('B', 1, 4, 2), topic('A', 2, null, 3), topic('C', 3, 2, null)], settings },
    { groups: [] },
    'en',
  );

  it("parses ?sort=&dir=, falling back to rank ascending and to each column's natural direction", () => {
    expect(parseSort({})).toEqual({ key: 'rank', dir: 'asc' });
    expect(parseSort({ sort: 'impact' })).toEqual({ key: 'impact', dir: 'desc' });
    expect(parseSort({ sort: 'code', dir: 'desc' })).toEqual({ key: 'code', dir: 'desc' });
    expect(parseSort({ sort: 'constructor', dir: 'x' })).toEqual({ key: 'rank', dir: 'asc' });
  });

  it('links a header to the other direction when active, else to its natural one', () => {
    const current = { key: 'code', dir: 'asc' } as const;
    expect(sortHref('/r', 'code', current)).toBe('/r?sort=code&dir=desc');
    expect(sortHref('/r', 'priority', current)).toBe('/r?sort=priority&dir=desc');
    expect(ariaSort('code', current)).toBe('ascending');
    expect(ariaSort('rank', current)).toBeUndefined();
  });

  it('sorts by any column, empty scores last in both directions', () => {
    const codes = (key: SortKey, dir: 'asc' | 'desc') =>
      sortRows(rows, { key, dir }).map((r) => r.code);
    expect(codes('code', 'asc')).toEqual(['A', 'B', 'C']);
    expect(codes('code', 'desc')).toEqual(['C', 'B', 'A']);
    expect(codes('impact', 'desc')).toEqual(['B', 'C', 'A']);
    expect(codes('impact', 'asc')).toEqual(['C', 'B', 'A']);
    expect(codes('financial', 'asc')).toEqual(['B', 'A', 'C']);
    expect(codes('rank', 'desc')).toEqual(['C', 'A', 'B']);
  });

  it('hides per-group figures below minReportN', () => {
    const row = rankingRows(
      {
        topics: [
          topic('X', 1, 3, 3, {
            impact: axis(3, {
              G1: { mean: 3, n: 4, sd: 1, dontKnow: 1 },
              G2: { mean: 3, n: 5, sd: 0.5, dontKnow: 0 },
            }),
          }),
        ],
        settings,
      },
      { groups: [{ code: 'G1', name: { en: 'One', 'zh-Hant': '一' } } as never] },
      'zh-Hant',
    ).at(0)!;
    expect(row.name).toBe('議題 X');
    expect(row.breakdown.impact).toEqual([
      { code: 'G1', name: '一', suppressed: true, mean: null, n: null, sd: null, dontKnow: null },
      { code: 'G2', name: 'G2', suppressed: false, mean: 3, n: 5, sd: 0.5, dontKnow: 0 },
    ]);
  });
});

describe('settings form', () => {
  const good = {
    'thresholds.impact': '2,5',
    'thresholds.financial': '3',
    rule: 'both',
    rankingMethod: 'product',
    borderlineBand: '0',
    minGroupN: '2',
    minReportN: '3',
    'weights.A': '0',
    'weights.B': '2.5',
    _csrf: 'x',
  };

  it('turns the flat form into a settings patch', () => {
    expect(parseSettingsForm(good)).toEqual({
      thresholds: { impact: 2.5, financial: 3 },
      rule: 'both',
      rankingMethod: 'product',
      borderlineBand: 0,
      minGroupN: 2,
      minReportN: 3,
      weights: { A: 0, B: 2.5 },
    });
  });

  it('names every bad field with a message key', () => {
    try {
      parseSettingsForm({
        ...good,
        'thresholds.impact': '0',
        'thresholds.financial': 'abc',
        rule: '',
        minReportN: '2.5',
        borderlineBand: '3',
        'weights.B': 'Infinity',
      });
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect(
        Object.fromEntries((err as ValidationError).fields.map((f) => [f.path, f.message])),
      ).toEqual({
        'thresholds.impact': 'results.settings.errThreshold',
        'thresholds.financial': 'results.settings.errThreshold',
        rule: 'results.settings.errChoice',
        borderlineBand: 'results.settings.errBand',
        minReportN: 'results.settings.errCount',
        'weights.B': 'results.settings.errWeight',
      });
    }
  });
});

describe('scriptJson', () => {
  it('cannot end its <script> block and parses back to the same value', () => {
    const value = { name: '</script><!-- <script>alert(1)</script>', line: 'a\u2028b' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/<\/?script|<!--/i);
    expect(JSON.parse(json)).toEqual(value);
  });
});
