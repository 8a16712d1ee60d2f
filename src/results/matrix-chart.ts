import type { Assessment } from '../assessments/model/assessment.types';
import { resolveSettings, type Classification } from '../scoring';
import { localized, translator, type Lang } from '../shared/i18n';
import type { Results } from './results.service';

/**
 * The materiality matrix as ONE ECharts option (plain JSON: no functions), rendered interactively in
 * the browser (public/js/matrix.js) and to SVG/PNG on the server (matrix-render.ts).
 */

export const CATEGORIES = ['E', 'S', 'G'] as const;
export type Category = (typeof CATEGORIES)[number];

// The colours of the page's E/S/G badges; a shape per category too, so colour is not the only cue.
export const CATEGORY_COLOURS: Record<Category, string> = {
  E: '#2e7d32',
  S: '#1565c0',
  G: '#6a1b9a',
};
const CATEGORY_SYMBOLS: Record<Category, string> = { E: 'circle', S: 'rect', G: 'triangle' };

/** Browsers pick from the system; the server replaces this with the bundled CJK fonts. */
export function webFontFamily(lang: Lang): string {
  const cjk =
    lang === 'zh-Hans'
      ? "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC'"
      : "'PingFang TC', 'Microsoft JhengHei', 'Noto Sans CJK TC'";
  // Single quotes only: ECharts writes this into an SVG style attribute without escaping.
  return `system-ui, -apple-system, 'Segoe UI', 'Noto Sans', ${cjk}, sans-serif`;
}

export const AXIS_MAX = 5;
export const SERIES_MARKUP_ID = 'markup';
const LABEL_FLIP_AT = 4;

/**
 * What ANALYTICS adds to the matrix (issue 20 §1, owners' data interface): 95% intervals per axis
 * drawn as whiskers, and topics whose classification is uncertain. Structural, so analytics/ need
 * not be imported below its layer. Keys are topic codes.
 */
export interface MatrixExtras {
  intervals?: Map<
    string,
    { impact?: [number, number] | null; financial?: [number, number] | null }
  >;
  uncertain?: Set<string>;
}

export interface MatrixOptions {
  /** topic names beside the points */
  labels: boolean;
  /** the stakeholder group the results were filtered to, if any */
  group?: string | null;
}

/** One topic as the matrix reports it; its tooltip and the data table under the chart show these. */
export interface MatrixRow {
  name: string;
  code: string;
  category: Category;
  /** null: no score, or hidden because too few responses (`suppressed`) */
  impact: number | null;
  financial: number | null;
  impactN: number | null;
  financialN: number | null;
  suppressed: boolean;
  classification: Classification | null;
  classificationLabel: string;
}

/** A plotted topic; everything the client's tooltip formatter shows travels with it. */
export interface MatrixPoint extends MatrixRow {
  value: [number, number];
  label?: { position: 'left' };
}

export interface MatrixTopicRef {
  code: string;
  name: string;
}

// The option is typed by what we emit, not by ECharts' (huge) union types; the renderers cast it.
export type MatrixOption = Record<string, unknown> & {
  series: MatrixSeries[];
  xAxis: Record<string, unknown>;
  yAxis: Record<string, unknown>;
  legend: { data: string[] } & Record<string, unknown>;
};

export type MatrixSeries = Record<string, unknown> & {
  id: string;
  type: 'scatter';
  name?: string;
  data: MatrixPoint[];
};

export interface MatrixChart {
  option: MatrixOption;
  /** every topic in rank order, plotted or not */
  rows: MatrixRow[];
  /** topics with no score on either axis: not plotted, listed under the chart */
  omitted: MatrixTopicRef[];
  plotted: number;
  thresholds: { impact: number; financial: number };
  minReportN: number;
}

export const formatScore = (v: number) => v.toFixed(2);

export function buildMatrixChart(
  results: Pick<Results, 'topics' | 'settings' | 'group'>,
  assessment: Pick<Assessment, 'name' | 'settings' | 'groups'>,
  lang: Lang,
  opts: MatrixOptions,
): MatrixChart {
  const t = translator(lang);
  const s = resolveSettings(results.settings);
  const thresholds = s.thresholds;
  const group = opts.group ?? results.group ?? null;
  const axisLabels = assessment.settings.axisLabels ?? { impact: {}, financial: {} };
  const impactName = localized(axisLabels.impact, lang).text || t('results.axis.impact');
  const financialName = localized(axisLabels.financial, lang).text || t('results.axis.financial');
  const groupDoc = group ? assessment.groups.find((g) => g.code === group) : undefined;
  const subtitle = group
    ? t('results.matrix.oneGroup', {
        group: groupDoc ? localized(groupDoc.name, lang).text : group,
      })
    : t('results.matrix.allGroups');

  const rows = matrixRows(results, lang, group ? s.minReportN : 0);
  const omitted: MatrixTopicRef[] = [];
  const byCategory = new Map<Category, MatrixPoint[]>();
  for (const row of rows) {
    if (row.impact === null && row.financial === null) {
      omitted.push({ code: row.code, name: row.name });
      continue;
    }
    const list = byCategory.get(row.category) ?? [];
    const value: [number, number] = [row.impact ?? 0, row.financial ?? 0];
    // Names of points near the right edge go to their left, so they stay inside the chart.
    list.push({
      ...row,
      value,
      ...(value[0] >= LABEL_FLIP_AT ? { label: { position: 'left' } } : {}),
    });
    byCategory.set(row.category, list);
  }
  const present = CATEGORIES.filter((c) => byCategory.has(c));
  const categorySeries = present.map((c): MatrixSeries => ({
    id: `category-${c}`,
    type: 'scatter',
    name: t(`results.category.${c}`),
    symbol: CATEGORY_SYMBOLS[c],
    symbolSize: 12,
    itemStyle: {
      color: CATEGORY_COLOURS[c],
      opacity: 0.95,
      borderColor: '#ffffff',
      borderWidth: 1,
    },
    emphasis: { scale: 1.4 },
    label: {
      show: opts.labels,
      position: 'right',
      distance: 6,
      formatter: '{b}',
      fontSize: 12,
      color: '#1b1f24',
    },
    labelLayout: { hideOverlap: true, moveOverlap: 'shiftY' },
    data: byCategory.get(c)!,
  }));

  const option: MatrixOption = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: webFontFamily(lang) },
    title: {
      text: assessment.name,
      subtext: subtitle,
      left: 'center',
      top: 8,
      textStyle: { fontSize: 16, color: '#1b1f24' },
      subtextStyle: { fontSize: 13, color: '#555d66' },
    },
    legend: {
      data: present.map((c) => t(`results.category.${c}`)),
      bottom: 8,
      itemGap: 24,
      textStyle: { fontSize: 13 },
    },
    tooltip: { trigger: 'item', confine: true },
    grid: { left: 72, right: 56, top: 72, bottom: 100 },
    xAxis: axis(impactName, 34),
    yAxis: axis(financialName, 40),
    series: [markupSeries(thresholds, t), ...categorySeries],
  };
  const plotted = categorySeries.reduce((sum, series) => sum + series.data.length, 0);
  return { option, rows, omitted, plotted, thresholds, minReportN: s.minReportN };
}

/** Convenience for callers that only need the option. */
export function buildMatrixOption(...args: Parameters<typeof buildMatrixChart>): MatrixOption {
  return buildMatrixChart(...args).option;
}

function axis(name: string, nameGap: number) {
  return {
    type: 'value',
    min: 0,
    max: AXIS_MAX,
    interval: 1,
    name,
    nameLocation: 'middle',
    nameGap,
    nameTextStyle: { fontSize: 14, fontWeight: 'bold', color: '#1b1f24' },
    axisLabel: { color: '#1b1f24' },
    axisLine: { show: true, lineStyle: { color: '#555d66' } },
    splitLine: { lineStyle: { color: '#e4e7eb' } },
  };
}

/**
 * Threshold lines and the four quadrants live on their own series without points, so hiding a
 * category in the legend never hides them (and the legend lists only categories).
 */
function markupSeries(
  th: { impact: number; financial: number },
  t: ReturnType<typeof translator>,
): MatrixSeries {
  const quadrant = (
    key: Classification,
    from: [number, number],
    to: [number, number],
    position: string,
    colour: string,
  ) => [
    {
      name: t(`results.quadrant.${key}`),
      xAxis: from[0],
      yAxis: from[1],
      itemStyle: { color: colour },
      label: { position },
    },
    { xAxis: to[0], yAxis: to[1] },
  ];
  const lineLabel = (value: number) => ({
    formatter: t('results.matrix.threshold', { value: formatScore(value) }),
    color: '#1b1f24',
    fontSize: 11,
  });
  return {
    id: SERIES_MARKUP_ID,
    type: 'scatter',
    data: [],
    silent: true,
    markArea: {
      silent: true,
      label: { show: true, color: '#555d66', fontSize: 12, fontWeight: 'bold' },
      data: [
        quadrant(
          'double',
          [th.impact, th.financial],
          [AXIS_MAX, AXIS_MAX],
          'insideTopRight',
          'rgba(179, 38, 30, 0.06)',
        ),
        quadrant(
          'impact',
          [th.impact, 0],
          [AXIS_MAX, th.financial],
          'insideBottomRight',
          'rgba(11, 92, 173, 0.04)',
        ),
        quadrant(
          'financial',
          [0, th.financial],
          [th.impact, AXIS_MAX],
          'insideTopLeft',
          'rgba(11, 92, 173, 0.04)',
        ),
        quadrant('none', [0, 0], [th.impact, th.financial], 'insideBottomLeft', 'rgba(0, 0, 0, 0)'),
      ],
    },
    markLine: {
      silent: true,
      symbol: 'none',
      animation: false,
      lineStyle: { color: '#1b1f24', type: 'dashed', width: 1.5 },
      data: [
        { name: 'impact', xAxis: th.impact, label: { ...lineLabel(th.impact), position: 'end' } },
        {
          name: 'financial',
          yAxis: th.financial,
          label: { ...lineLabel(th.financial), position: 'insideEndTop' },
        },
      ],
    },
  };
}

/**
 * Topics as the matrix reports them. A topic with no score on either axis is not plotted; a single
 * missing axis is plotted at 0. In a one-group view (`minReportN` > 0) an axis from fewer than
 * `minReportN` responses is a per-group figure that section 8 hides, so it counts as missing and
 * the topic's classification, which would give it away, is not shown either.
 */
export function matrixRows(
  results: Pick<Results, 'topics'>,
  lang: Lang,
  minReportN = 0,
): MatrixRow[] {
  const t = translator(lang);
  const hidden = (n: number) => n > 0 && n < minReportN;
  return results.topics.map((topic) => {
    const impactHidden = hidden(topic.impact.n);
    const financialHidden = hidden(topic.financial.n);
    const suppressed = impactHidden || financialHidden;
    return {
      name: localized(topic.name, lang).text || topic.code,
      code: topic.code,
      category: topic.category,
      impact: impactHidden ? null : topic.impact.score,
      financial: financialHidden ? null : topic.financial.score,
      impactN: impactHidden ? null : topic.impact.n,
      financialN: financialHidden ? null : topic.financial.n,
      suppressed,
      classification: suppressed ? null : topic.classification,
      classificationLabel: suppressed
        ? t('results.fewerThan', { n: minReportN })
        : t(`results.classification.${topic.classification}`),
    };
  });
}
