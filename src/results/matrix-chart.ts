import type { Assessment } from '../assessments/model/assessment.types';
import { resolveSettings } from '../scoring';
import { localized, translator, type Lang } from '../shared/i18n';
import { buildDotChart } from './matrix-dots';
import { composeChart, type ChartParts } from './matrix-compose';
import { askedAxes, matrixRows, type Axis, type MatrixRow } from './matrix-rows';
import { layoutPlot, type PlotLayout, type Scale } from './matrix-scatter';
import { measurer } from './matrix-text';
import type { Results } from './results.service';
import type {
  LabelMode,
  MatrixExtras,
  MatrixOption,
  MatrixTopicRef,
  RangeMode,
} from './matrix-types';
import { AXIS_MAX } from './matrix-types';

export type { MatrixRow } from './matrix-rows';

/**
 * The materiality matrix as ONE ECharts option (plain JSON: no functions), rendered interactively
 * in the browser (public/js/matrix.js) and to SVG/PNG on the server (matrix-render.ts), at the same
 * pixel size: every label, line and note is placed here (matrix-scatter.ts) with text measured
 * from the bundled fonts, so the page, the SVG and the PNG show one layout.
 */

export {
  AXIS_MAX,
  CATEGORIES,
  CATEGORY_COLOURS,
  CATEGORY_SYMBOLS,
  CHART_WIDTH,
  SERIES_MARKUP_ID,
  webFontFamily,
} from './matrix-types';
export type {
  Category,
  LabelMode,
  MatrixExtras,
  MatrixOption,
  MatrixPoint,
  MatrixSeries,
  MatrixTopicRef,
  RangeMode,
} from './matrix-types';

export interface MatrixOptions {
  /** topic names beside the points (true/'names'), rank numbers and a key ('numbered'), none */
  labels: boolean | LabelMode;
  /** the stakeholder group the results were filtered to, if any */
  group?: string | null;
  /** 'full': the whole scale (1–5 for rating, 0–5 for assessment); 'fit': the data and thresholds */
  range?: RangeMode;
  /** label font size in px (8–20; 12 by default) */
  labelSize?: number;
  /** year-over-year arrows from each topic's `previous` position (default on) */
  arrows?: boolean;
  /** 95% whiskers when `extras.intervals` is given (default on) */
  whiskers?: boolean;
  /** a line of text in the top-right corner (e.g. "Provisional — not signed off") */
  stamp?: string | null;
}

export interface MatrixChart {
  option: MatrixOption;
  width: number;
  height: number;
  kind: 'matrix' | 'dots' | 'empty';
  labelMode: LabelMode;
  /** every topic in rank order, plotted or not */
  rows: MatrixRow[];
  /** topics not plotted, with the reason; listed under the chart */
  omitted: MatrixTopicRef[];
  plotted: number;
  thresholds: { impact: number; financial: number };
  minReportN: number;
  /** the pixel layout (for tests and the key) */
  plot: PlotLayout | null;
}

export const formatScore = (v: number) => v.toFixed(2);

export function buildMatrixChart(
  results: Pick<Results, 'topics' | 'settings' | 'group'> & { responses?: Results['responses'] },
  assessment: Pick<Assessment, 'name' | 'settings' | 'groups'>,
  lang: Lang,
  opts: MatrixOptions,
  extras: MatrixExtras = {},
): MatrixChart {
  const t = translator(lang);
  const s = resolveSettings(results.settings);
  const thresholds = s.thresholds;
  const group = opts.group ?? results.group ?? null;
  const labelMode: LabelMode =
    opts.labels === true ? 'names' : opts.labels === false ? 'none' : opts.labels;
  const axisLabels = assessment.settings.axisLabels ?? { impact: {}, financial: {} };
  const axisName = (a: Axis) => localized(axisLabels[a], lang).text || t(`results.axis.${a}`);
  const groupDoc = group ? assessment.groups.find((g) => g.code === group) : undefined;
  const subtitle = group
    ? t('results.matrix.oneGroup', {
        group: groupDoc ? localized(groupDoc.name, lang).text : group,
      })
    : t('results.matrix.allGroups');
  const rows = matrixRows(results, assessment.groups, lang, s.minReportN);
  const asked = askedAxes(assessment.groups, group);
  const omitted = omittedTopics(rows, asked, (a) => axisName(a), group, t, s.minReportN);
  const measure = measurer(lang);
  const noResponses = results.responses ? results.responses.total === 0 : false;
  const parts: ChartParts = {
    lang,
    title: assessment.name,
    subtitle: noResponses ? `${subtitle} · ${t('matrix.noResponses')}` : subtitle,
    stamp: opts.stamp ?? null,
    measure,
    thresholds,
    minReportN: s.minReportN,
    rows,
    omitted,
    axisName,
    labelMode,
    labelSize: clampSize(opts.labelSize),
    arrows: opts.arrows !== false,
    whiskers: opts.whiskers !== false,
    extras,
  };
  const base = {
    rows,
    omitted,
    thresholds,
    minReportN: s.minReportN,
    labelMode,
  };
  const singleAxis: Axis | null =
    asked.impact && !asked.financial
      ? 'impact'
      : asked.financial && !asked.impact
        ? 'financial'
        : null;
  const modes = assessment.settings.instruments;
  const scale = (a: Axis, rs: MatrixRow[]) =>
    scaleFor(
      a,
      rs,
      parts,
      opts.range,
      modes?.[a]?.mode ?? (a === 'impact' ? 'rating' : 'assessment'),
    );
  if (singleAxis) {
    const dots = buildDotChart(parts, singleAxis, scale(singleAxis, rows));
    return withSize({ ...base, ...dots, kind: dots.plotted ? 'dots' : 'empty', plot: null });
  }
  const plottedRows = rows.filter((r) => r.impact !== null && r.financial !== null);
  const chart = composeChart(parts, plottedRows, {
    x: scale('impact', plottedRows),
    y: scale('financial', plottedRows),
    layout: layoutPlot,
  });
  return withSize({ ...base, ...chart, kind: plottedRows.length ? 'matrix' : 'empty' });
}

/** The option carries its pixel size: the page renders it at that size (scaled), like the server. */
function withSize(c: MatrixChart): MatrixChart {
  c.option.chartSize = { width: c.width, height: c.height };
  return c;
}

/** Convenience for callers that only need the option. */
export function buildMatrixOption(...args: Parameters<typeof buildMatrixChart>): MatrixOption {
  return buildMatrixChart(...args).option;
}

const clampSize = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? 12 : Math.max(8, Math.min(20, Math.round(v)));

/**
 * The axis range: the full scale (rating answers start at 1, assessment scores at 0), or fitted to
 * the scores plotted, with the threshold (and any arrow tail or whisker) always inside.
 */
export function scaleFor(
  axis: Axis,
  rows: MatrixRow[],
  parts: Pick<ChartParts, 'thresholds' | 'arrows' | 'whiskers' | 'extras'> & { lang?: Lang },
  range: RangeMode | undefined,
  mode: 'rating' | 'assessment' = 'assessment',
): Scale {
  const floor = mode === 'rating' ? 1 : 0;
  if (range !== 'fit') return { min: floor, max: AXIS_MAX, interval: 1 };
  const values: number[] = [parts.thresholds[axis]];
  for (const r of rows) {
    const v = r[axis];
    if (v !== null) values.push(v);
    if (parts.arrows && r.previous) values.push(r.previous[axis]);
    const iv = parts.whiskers ? parts.extras.intervals?.get(r.code)?.[axis] : null;
    if (iv) values.push(...iv);
  }
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const interval = hi - lo > 2 ? 1 : 0.5;
  const min = Math.max(0, Math.floor((lo - 0.2) / interval) * interval);
  const max = Math.min(AXIS_MAX, Math.ceil((hi + 0.2) / interval) * interval);
  return { min, max: max > min ? max : min + interval, interval };
}

function omittedTopics(
  rows: MatrixRow[],
  asked: Record<Axis, boolean>,
  axisName: (a: Axis) => string,
  group: string | null,
  t: ReturnType<typeof translator>,
  n: number,
): MatrixTopicRef[] {
  const single = asked.impact !== asked.financial;
  const out: MatrixTopicRef[] = [];
  for (const r of rows) {
    const axes = (['impact', 'financial'] as const).filter(
      (a) => r[a] === null && !(single && !asked[a]),
    );
    if (!axes.length) continue;
    const reason = axes
      .map((a) => {
        const st = r.standing[a];
        const key = st === 'notAsked' && !group ? 'notAskedAny' : st;
        return t('matrix.axisStanding', {
          axis: axisName(a),
          standing: t(`matrix.standing.${key}`, { n }),
        });
      })
      .join('; ');
    out.push({ code: r.code, name: r.name, reason });
  }
  return out;
}
