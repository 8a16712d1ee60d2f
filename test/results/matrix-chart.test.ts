import { defaultSettings } from '../../src/assessments/model/defaults';
import type { Assessment, Group } from '../../src/assessments/model/assessment.types';
import {
  buildMatrixChart,
  buildMatrixOption,
  CATEGORY_COLOURS,
  type MatrixOption,
  type MatrixSeries,
} from '../../src/results/matrix-chart';
import { renderMatrixSvg } from '../../src/results/matrix-render';
import { lowResponseAxes } from '../../src/results/matrix-rows';
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
const points = (o: MatrixOption) => categorySeries(o.series).flatMap((s) => s.data);
const markup = (o: MatrixOption) =>
  o.series.find((s) => s.id === 'markup') as MatrixSeries & {
    markLine: { data: { xAxis?: number; yAxis?: number }[] };
  };
type El = {
  type: string;
  style?: { text?: string; fontSize?: number; lineDash?: number[]; fill?: string };
};
const drawn = (o: MatrixOption) => (o.graphic.elements as El[]).filter((e) => e.type === 'text');
const texts = (o: MatrixOption) => drawn(o).map((e) => e.style!.text!);

describe('buildMatrixChart', () => {
  it('puts impact on x (rating: 1–5) and financial on y (assessment: 0–5), with threshold lines', () => {
    const { results, assessment } = fixture({ impact: 2.5, financial: 3.5 });
    const option = buildMatrixOption(results, assessment, 'en', { labels: true });
    expect(option.xAxis).toMatchObject({ type: 'value', min: 1, max: 5 });
    expect(option.yAxis).toMatchObject({ type: 'value', min: 0, max: 5 });
    expect(markup(option).markLine.data).toEqual([
      expect.objectContaining({ xAxis: 2.5 }),
      expect.objectContaining({ yAxis: 3.5 }),
    ]);
    expect(texts(option)).toEqual(
      expect.arrayContaining([
        'Impact materiality',
        'Financial materiality',
        'Threshold 2.50',
        'Threshold 3.50',
      ]),
    );
    const climate = points(option).find((p) => p.code === 'CLIMATE')!;
    expect(climate.value[0]).toBeCloseTo(13 / 3, 12);
    expect(climate.value[1]).toBeCloseTo(4, 12);
  });

  it('names the quadrants, categories and topics in the chosen language', () => {
    const { results, assessment } = fixture();
    const zh = texts(buildMatrixOption(results, assessment, 'zh-Hant', { labels: true }));
    expect(zh).toEqual(
      expect.arrayContaining(['雙重重要性', '只有影響重要性', '只有財務重要性', '不重要']),
    );
    expect(zh).toEqual(
      expect.arrayContaining(['氣候變化', '資料私隱', '影響重要性', '環境', '社會']),
    );
    const en = texts(buildMatrixOption(results, assessment, 'en', { labels: true }));
    expect(en).toEqual(
      expect.arrayContaining(['Double materiality', 'Not material', 'Climate change']),
    );
  });

  it('has one series per category present, coloured by E/S/G', () => {
    const { results, assessment } = fixture();
    const cats = categorySeries(
      buildMatrixOption(results, assessment, 'en', { labels: true }).series,
    );
    expect(cats.map((s) => s.name)).toEqual(['Environmental', 'Social']); // no G topic
    expect(cats.map((s) => (s.itemStyle as { color: string }).color)).toEqual([
      CATEGORY_COLOURS.E,
      CATEGORY_COLOURS.S,
    ]);
  });

  it('never plots a missing score at 0: such topics are listed with the reason', () => {
    const { results, assessment } = fixture();
    const chart = buildMatrixChart(results, assessment, 'en', { labels: true });
    expect(
      points(chart.option)
        .map((p) => p.code)
        .sort(),
    ).toEqual(['CLIMATE', 'PRIVACY']);
    expect(chart.omitted).toEqual([
      { code: 'LABOUR', name: 'Labour practices', reason: 'Financial materiality: no responses' },
      {
        code: 'WASTE',
        name: 'Waste',
        reason: 'Impact materiality: no responses; Financial materiality: no responses',
      },
    ]);
    expect(texts(chart.option).join(' ')).toContain('Not plotted: Labour practices (Financial');
    const zh = buildMatrixChart(results, assessment, 'zh-Hans', { labels: true });
    expect(zh.omitted[0]!.reason).toBe('财务重要性：没有回复');
  });

  it('draws a score from fewer than minReportN responses hollow, with a footnote, and flags it', () => {
    const { results, assessment } = fixture();
    const chart = buildMatrixChart(results, assessment, 'en', { labels: true });
    const privacy = points(chart.option).find((p) => p.code === 'PRIVACY')!;
    expect(privacy).toMatchObject({ lowN: true, standing: { impact: 'low', financial: 'low' } });
    expect(privacy).toMatchObject({ itemStyle: { color: '#ffffff', borderWidth: 2 } });
    expect(texts(chart.option).join(' ')).toContain(
      'Hollow marker: a score rests on fewer than 5 responses',
    );
    const topic = results.topics.find((t) => t.code === 'PRIVACY')!;
    expect(lowResponseAxes(topic, 5)).toEqual({ impact: true, financial: true });
    expect(lowResponseAxes(topic, 1)).toEqual({ impact: false, financial: false });
  });

  it('numbers the markers and prints a key of number, topic and category', () => {
    const { results, assessment } = fixture();
    const chart = buildMatrixChart(results, assessment, 'en', { labels: 'numbered' });
    const all = texts(chart.option);
    expect(all).toEqual(
      expect.arrayContaining(['Key', 'Climate change', 'Data privacy', 'Environmental']),
    );
    const climate = results.topics.find((t) => t.code === 'CLIMATE')!;
    expect(chart.plot!.labels.find((l) => l.id === 'CLIMATE')!.lines).toEqual([
      String(climate.rank),
    ]);
    expect(categorySeries(chart.option.series).every((s) => s.symbol === 'circle')).toBe(true);
  });

  it('turns topic labels off', () => {
    const { results, assessment } = fixture();
    expect(texts(buildMatrixOption(results, assessment, 'en', { labels: 'none' }))).not.toContain(
      'Climate change',
    );
  });

  it('fits the axes to the data with the thresholds inside, on request', () => {
    const { results, assessment } = fixture({ impact: 2.5, financial: 3.5 });
    const option = buildMatrixOption(results, assessment, 'en', { labels: true, range: 'fit' });
    const x = option.xAxis as { min: number; max: number };
    const y = option.yAxis as { min: number; max: number };
    expect(x.min).toBeLessThanOrEqual(2.5);
    expect(x.max).toBeGreaterThanOrEqual(13 / 3);
    expect(x.min).toBeGreaterThan(1);
    expect(y.min).toBeLessThanOrEqual(3.5);
    expect(y.max).toBe(5);
  });

  it('sets the label size', () => {
    const { results, assessment } = fixture();
    const option = buildMatrixOption(results, assessment, 'en', { labels: true, labelSize: 16 });
    expect(drawn(option).find((e) => e.style!.text === 'Climate change')!.style!.fontSize).toBe(16);
  });

  it('gives a group that answers one questionnaire a ranked dot chart of that axis', () => {
    const { results, assessment } = fixture(undefined, 'A');
    const chart = buildMatrixChart(results, assessment, 'en', { labels: true, group: 'A' });
    expect(chart.kind).toBe('empty');
    // A answered CLIMATE 3 times, LABOUR twice, PRIVACY once: all below 5, hidden in a group view.
    expect(chart.plotted).toBe(0);
    expect(chart.rows.find((r) => r.code === 'CLIMATE')).toMatchObject({
      impact: null,
      impactN: null,
      suppressed: true,
      classification: null,
    });
    expect(chart.omitted.find((o) => o.code === 'CLIMATE')!.reason).toBe(
      'Impact materiality: fewer than 5 responses',
    );
    expect(texts(chart.option).join(' ')).toContain('Stakeholder group: Employees');
    const lenient = fixture(undefined, 'A');
    lenient.results.settings = { ...lenient.results.settings, minReportN: 1 };
    const dots = buildMatrixChart(lenient.results, lenient.assessment, 'en', {
      labels: true,
      group: 'A',
    });
    expect(dots.kind).toBe('dots');
    expect(points(dots.option).map((p) => p.code)).toEqual(['CLIMATE', 'PRIVACY', 'LABOUR']);
    expect(texts(dots.option)).not.toContain('Financial materiality');
  });

  it('draws year-over-year arrows, override rings, whiskers, uncertain marks and a corner stamp', () => {
    const { results, assessment } = fixture();
    const climate = results.topics.find((t) => t.code === 'CLIMATE')!;
    Object.assign(climate, {
      previous: {
        rank: 2,
        impactScore: 3,
        financialScore: 2,
        material: true,
        classification: 'impact',
      },
      override: { material: true, rationale: 'r', by: 'u', at: '2025-01-01' },
    });
    const chart = buildMatrixChart(
      results,
      assessment,
      'en',
      { labels: true, stamp: 'Provisional — not signed off' },
      {
        intervals: new Map([['PRIVACY', { impact: [2.5, 3.5], financial: [4.2, 5] }]]),
        uncertain: new Set(['PRIVACY']),
      },
    );
    const els = chart.option.graphic.elements as El[];
    const all = texts(chart.option).join(' ');
    expect(els.filter((e) => e.type === 'polygon').length).toBeGreaterThanOrEqual(1); // arrow head
    expect(
      els.filter((e) => e.type === 'circle' && e.style?.fill === 'none' && !e.style.lineDash),
    ).toHaveLength(1); // override ring
    expect(els.filter((e) => e.type === 'circle' && e.style?.lineDash)).toHaveLength(1); // uncertain
    expect(all).toContain('Provisional — not signed off');
    expect(all).toContain('Grey arrows');
    expect(all).toContain('Ringed marker');
    expect(all).toContain('95% intervals');
    expect(all).toContain('Dashed ring');
    const off = buildMatrixChart(results, assessment, 'en', { labels: true, arrows: false });
    expect((off.option.graphic.elements as El[]).some((e) => e.type === 'polygon')).toBe(false);
  });

  it('is plain JSON (the browser receives it as such)', () => {
    const { results, assessment } = fixture();
    const option = buildMatrixOption(results, assessment, 'en', { labels: true });
    expect(JSON.parse(JSON.stringify(option))).toEqual(option);
  });
});

describe('renderMatrixSvg', () => {
  it('renders text as text with the bundled fonts named, dashed threshold lines and CSP-safe attributes', () => {
    const { results, assessment } = fixture({ impact: 2.5, financial: 3.5 });
    const chart = buildMatrixChart(results, assessment, 'zh-Hant', { labels: true });
    const svg = renderMatrixSvg(chart.option, 'zh-Hant');
    expect(svg.startsWith(`<svg width="${chart.width}" height="${chart.height}"`)).toBe(true);
    expect(svg).toMatch(/<text[^>]*>氣候變化<\/text>/);
    expect(svg).toContain('門檻 2.50');
    expect(svg).toMatch(/stroke-dasharray/);
    expect(svg).toContain("font-family=\"'Noto Sans T Chinese', 'Noto Sans S Chinese'");
    expect(svg).not.toMatch(/ style="/);
    expect(svg).not.toContain('<style');
  });
});
