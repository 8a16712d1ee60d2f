import { defaultSettings } from '../../src/assessments/model/defaults';
import type { Assessment, Group } from '../../src/assessments/model/assessment.types';
import {
  buildMatrixChart,
  buildMatrixOption,
  CATEGORY_COLOURS,
  type MatrixPoint,
  type MatrixSeries,
} from '../../src/results/matrix-chart';
import { renderMatrixSvg } from '../../src/results/matrix-render';
import { computeTopicResults, resolveSettings, type Tally } from '../../src/scoring';

// Pure: no database, no express. Results are built with the scoring core from hand-made tallies.

const tally = (...xs: number[]): Tally => ({
  n: xs.length,
  sum: xs.reduce((a, b) => a + b, 0),
  sumSq: xs.reduce((a, b) => a + b * b, 0),
  dontKnow: 0,
});
const topicNames = {
  CLIMATE: { en: 'Climate change', 'zh-Hant': '氣候變化', 'zh-Hans': '气候变化' },
  LABOUR: { en: 'Labour practices', 'zh-Hant': '勞工常規', 'zh-Hans': '劳工惯例' },
  WASTE: { en: 'Waste', 'zh-Hant': '廢物管理', 'zh-Hans': '废物管理' },
  PRIVACY: { en: 'Data privacy', 'zh-Hant': '資料私隱', 'zh-Hans': '数据隐私' },
};
const groups: Group[] = [
  {
    code: 'A',
    name: { en: 'Employees', 'zh-Hant': '僱員' },
    kind: 'internal',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 0,
  },
  {
    code: 'M',
    name: { en: 'Management', 'zh-Hant': '管理層' },
    kind: 'internal',
    weight: 1,
    instruments: ['financial'],
    targetResponses: 0,
  },
];

function fixture(thresholds = { impact: 2.5, financial: 3.5 }, group: string | null = null) {
  const settings = { ...defaultSettings(), thresholds };
  const topics = computeTopicResults({
    topics: [
      { code: 'CLIMATE', name: topicNames.CLIMATE, category: 'E' },
      { code: 'LABOUR', name: topicNames.LABOUR, category: 'S' },
      { code: 'WASTE', name: topicNames.WASTE, category: 'E' },
      { code: 'PRIVACY', name: topicNames.PRIVACY, category: 'S' },
    ],
    groups: groups.map((g) => ({ code: g.code, instruments: g.instruments })),
    tallies: {
      CLIMATE: { impact: { A: tally(5, 4, 4) }, financial: { M: tally(4, 4) } },
      LABOUR: { impact: { A: tally(2, 3) } }, // no financial score: plotted at F = 0
      // WASTE: nothing at all → omitted
      PRIVACY: { impact: { A: tally(3) }, financial: { M: tally(5) } },
    },
    settings: resolveSettings({ ...settings, weights: {} }),
  });
  const results = { topics, settings: { ...settings, weights: { A: 1, M: 1 } }, group };
  const assessment: Pick<Assessment, 'name' | 'settings' | 'groups'> = {
    name: 'Unit 2025',
    settings,
    groups,
  };
  return { results, assessment };
}

const categorySeries = (series: MatrixSeries[]) =>
  series.filter((s) => s.id.startsWith('category-'));
const points = (series: MatrixSeries[]) => categorySeries(series).flatMap((s) => s.data);
const markup = (series: MatrixSeries[]) =>
  series.find((s) => s.id === 'markup') as MatrixSeries & {
    markLine: { data: { xAxis?: number; yAxis?: number }[] };
    markArea: {
      data: [{ name: string; xAxis: number; yAxis: number }, { xAxis: number; yAxis: number }][];
    };
  };

describe('buildMatrixChart', () => {
  it('puts impact on x and financial on y, both 0..5, with threshold lines at the configured thresholds', () => {
    const { results, assessment } = fixture({ impact: 2.5, financial: 3.5 });
    const option = buildMatrixOption(results, assessment, 'en', { labels: true });
    expect(option.xAxis).toMatchObject({
      type: 'value',
      min: 0,
      max: 5,
      name: 'Impact materiality',
    });
    expect(option.yAxis).toMatchObject({
      type: 'value',
      min: 0,
      max: 5,
      name: 'Financial materiality',
    });
    const lines = markup(option.series).markLine.data;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ xAxis: 2.5 }),
        expect.objectContaining({ yAxis: 3.5 }),
      ]),
    );
    expect(lines).toHaveLength(2);
    const climate = points(option.series).find((p) => p.code === 'CLIMATE')!;
    expect(climate.value[0]).toBeCloseTo(13 / 3, 12);
    expect(climate.value[1]).toBeCloseTo(4, 12);
  });

  it('labels the four quadrants in the chosen language, split at the thresholds', () => {
    const { results, assessment } = fixture({ impact: 2.5, financial: 3.5 });
    const areas = markup(buildMatrixOption(results, assessment, 'zh-Hant', { labels: true }).series)
      .markArea.data;
    expect(areas.map(([a]) => a.name)).toEqual([
      '雙重重要性',
      '只有影響重要性',
      '只有財務重要性',
      '不重要',
    ]);
    const double = areas.at(0)!;
    expect(double[0]).toMatchObject({ xAxis: 2.5, yAxis: 3.5 });
    expect(double[1]).toMatchObject({ xAxis: 5, yAxis: 5 });
    const en = markup(buildMatrixOption(results, assessment, 'en', { labels: true }).series)
      .markArea.data;
    expect(en.map(([a]) => a.name)).toEqual([
      'Double materiality',
      'Impact materiality only',
      'Financial materiality only',
      'Not material',
    ]);
  });

  it('has one series per category present, coloured by E/S/G, and a legend of exactly those', () => {
    const { results, assessment } = fixture();
    const option = buildMatrixOption(results, assessment, 'en', { labels: true });
    const cats = categorySeries(option.series);
    expect(cats.map((s) => s.name)).toEqual(['Environmental', 'Social']); // no G topic
    expect(cats.map((s) => (s.itemStyle as { color: string }).color)).toEqual([
      CATEGORY_COLOURS.E,
      CATEGORY_COLOURS.S,
    ]);
    expect(option.legend.data).toEqual(['Environmental', 'Social']);
    for (const s of cats)
      expect(s.labelLayout).toEqual({ hideOverlap: true, moveOverlap: 'shiftY' });
  });

  it('names topics, axes and categories in zh-Hant when asked', () => {
    const { results, assessment } = fixture();
    const option = buildMatrixOption(results, assessment, 'zh-Hant', { labels: true });
    expect(
      points(option.series)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['勞工常規', '氣候變化', '資料私隱'].sort());
    expect(option.xAxis.name).toBe('影響重要性');
    expect(option.yAxis.name).toBe('財務重要性');
    expect(option.legend.data).toEqual(['環境', '社會']);
    expect(points(option.series).find((p) => p.code === 'CLIMATE')!.classificationLabel).toBe(
      '雙重重要',
    );
  });

  it('omits topics with no score on either axis, lists them, and plots a single missing axis at 0', () => {
    const { results, assessment } = fixture();
    const chart = buildMatrixChart(results, assessment, 'en', { labels: true });
    const codes = points(chart.option.series).map((p) => p.code);
    expect(codes).not.toContain('WASTE');
    expect(chart.omitted).toEqual([{ code: 'WASTE', name: 'Waste' }]);
    expect(chart.plotted).toBe(3);
    const labour = points(chart.option.series).find((p) => p.code === 'LABOUR')!;
    expect(labour.value).toEqual([2.5, 0]);
    expect(labour).toMatchObject({ impact: 2.5, financial: null, impactN: 2, financialN: 0 });
  });

  it('carries both scores, n per axis and the classification for the tooltip', () => {
    const { results, assessment } = fixture();
    const p: MatrixPoint = points(
      buildMatrixOption(results, assessment, 'en', { labels: true }).series,
    ).find((x) => x.code === 'PRIVACY')!;
    expect(p).toMatchObject({
      code: 'PRIVACY',
      name: 'Data privacy',
      category: 'S',
      impact: 3,
      financial: 5,
      impactN: 1,
      financialN: 1,
      classification: 'double',
      classificationLabel: 'Double material',
    });
  });

  it('turns topic labels off', () => {
    const { results, assessment } = fixture();
    const off = categorySeries(
      buildMatrixOption(results, assessment, 'en', { labels: false }).series,
    );
    const on = categorySeries(
      buildMatrixOption(results, assessment, 'en', { labels: true }).series,
    );
    for (const s of off) expect((s.label as { show: boolean }).show).toBe(false);
    for (const s of on) expect((s.label as { show: boolean }).show).toBe(true);
  });

  it('hides, in a one-group view, an axis from fewer than minReportN responses', () => {
    const { results, assessment } = fixture(undefined, 'A');
    const chart = buildMatrixChart(results, assessment, 'en', { labels: true, group: 'A' });
    // A answered CLIMATE 3 times, LABOUR twice, PRIVACY once: all below 5 → nothing to plot.
    expect(chart.plotted).toBe(0);
    expect(chart.rows.find((r) => r.code === 'CLIMATE')).toMatchObject({
      impact: null,
      impactN: null,
      suppressed: true,
      classification: null,
    });
    expect(chart.option.title).toMatchObject({ subtext: 'Stakeholder group: Employees' });
  });

  it('is plain JSON (the browser receives it as such)', () => {
    const { results, assessment } = fixture();
    const option = buildMatrixOption(results, assessment, 'en', { labels: true });
    expect(JSON.parse(JSON.stringify(option))).toEqual(option);
  });
});

describe('renderMatrixSvg', () => {
  it('renders topic names, the threshold labels and dashed threshold lines, and CSP-safe attributes', () => {
    const { results, assessment } = fixture({ impact: 2.5, financial: 3.5 });
    const svg = renderMatrixSvg(
      buildMatrixOption(results, assessment, 'zh-Hant', { labels: true }),
      'zh-Hant',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('氣候變化');
    expect(svg).toContain('門檻 2.50');
    expect(svg).toContain('門檻 3.50');
    expect(svg).toMatch(/stroke-dasharray/);
    expect(svg).toContain("font-family=\"'Noto Sans T Chinese', 'Noto Sans S Chinese'");
    expect(svg).not.toMatch(/ style="/);
    expect(svg).not.toContain('<style');
  });

  it('moves overlapping labels apart instead of drawing them on top of each other', () => {
    const { assessment } = fixture();
    const near = computeTopicResults({
      topics: ['T1', 'T2', 'T3'].map((code) => ({
        code,
        name: { en: `Topic ${code}` },
        category: 'E' as const,
      })),
      groups: [
        { code: 'A', instruments: ['impact'] },
        { code: 'M', instruments: ['financial'] },
      ],
      tallies: Object.fromEntries(
        ['T1', 'T2', 'T3'].map((code, i) => [
          code,
          { impact: { A: tally(4) }, financial: { M: tally(3 + i * 0.01) } },
        ]),
      ),
      settings: resolveSettings(),
    });
    const svg = renderMatrixSvg(
      buildMatrixOption(
        { topics: near, settings: { ...defaultSettings(), weights: {} }, group: null },
        assessment,
        'en',
        { labels: true },
      ),
      'en',
    );
    const ys = [
      ...svg.matchAll(
        /<text[^>]*transform="translate\(([\d.]+) ([\d.]+)\)"[^>]*>Topic T\d<\/text>/g,
      ),
    ]
      .map((m) => Number(m[2]))
      .sort((a, b) => a - b);
    expect(ys).toHaveLength(3);
    for (let i = 1; i < ys.length; i++)
      expect(ys.at(i)! - ys.at(i - 1)!).toBeGreaterThanOrEqual(10); // 12px text, shifted apart
  });
});
