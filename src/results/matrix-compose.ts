import { translator, type Lang } from '../shared/i18n';
import type {
  MatrixExtras,
  MatrixOption,
  MatrixPoint,
  MatrixSeries,
  MatrixTopicRef,
  LabelMode,
} from './matrix-types';
import {
  CATEGORIES,
  CATEGORY_COLOURS,
  CATEGORY_SYMBOLS,
  CHART_WIDTH,
  SERIES_MARKUP_ID,
  webFontFamily,
} from './matrix-types';
import {
  footnotes,
  header,
  keyTable,
  legend,
  MARGIN,
  MUTED,
  text,
  type Graphic,
} from './matrix-frame';
import type { Box } from './matrix-geometry';
import type { Axis, MatrixRow } from './matrix-rows';
import type { PlotInput, PlotLayout, Scale } from './matrix-scatter';
import type { Measure } from './matrix-text';

/** Everything the two chart kinds (matrix, dot chart) share: strings, options, rows. */
export interface ChartParts {
  lang: Lang;
  title: string;
  subtitle: string;
  stamp: string | null;
  measure: Measure;
  thresholds: Record<Axis, number>;
  minReportN: number;
  rows: MatrixRow[];
  omitted: MatrixTopicRef[];
  axisName: (a: Axis) => string;
  labelMode: LabelMode;
  labelSize: number;
  arrows: boolean;
  whiskers: boolean;
  extras: MatrixExtras;
}

const TICK = 12;
const AXIS_NAME = 14;
export const PLOT_HEIGHT = 600;

export const ticks = (s: Scale) => {
  const out: number[] = [];
  for (let v = s.min; v <= s.max + 1e-9; v += s.interval) out.push(Math.round(v * 100) / 100);
  return out;
};
export const tickText = (v: number, s: Scale) => v.toFixed(s.interval < 1 ? 1 : 0);

/** The two-axis matrix: header, plot, ticks, axis names, legend, notes and key, as one option. */
export function composeChart(
  parts: ChartParts,
  rows: MatrixRow[],
  s: { x: Scale; y: Scale; layout: (p: PlotInput) => PlotLayout },
): { option: MatrixOption; width: number; height: number; plotted: number; plot: PlotLayout } {
  const t = translator(parts.lang);
  const W = CHART_WIDTH;
  const m = parts.measure;
  const head = header({
    width: W,
    title: parts.title,
    subtitle: parts.subtitle,
    stamp: parts.stamp,
    measure: m,
  });
  const tickW = Math.max(...ticks(s.y).map((v) => m(tickText(v, s.y), TICK)));
  const left = MARGIN + AXIS_NAME + 10 + tickW + 8;
  const plot: Box = { x: left, y: head.height, w: W - left - MARGIN - 8, h: PLOT_HEIGHT };
  const numbered = parts.labelMode === 'numbered';
  const layout = s.layout({
    plot,
    x: s.x,
    y: s.y,
    thresholds: parts.thresholds,
    rows,
    mode: parts.labelMode,
    labelSize: parts.labelSize,
    markerR: numbered ? Math.max(10, Math.ceil(parts.labelSize * 0.85)) : 6,
    measure: m,
    quadrantNames: {
      double: t('results.quadrant.double'),
      impact: t('results.quadrant.impact'),
      financial: t('results.quadrant.financial'),
      none: t('results.quadrant.none'),
    },
    thresholdText: (v) => t('results.matrix.threshold', { value: v.toFixed(2) }),
    arrows: parts.arrows,
    intervals: parts.whiskers ? parts.extras.intervals : undefined,
    uncertain: parts.extras.uncertain,
  });
  const els: Graphic[] = [...head.elements, ...layout.elements];
  const bottom = plot.y + plot.h;
  for (const v of ticks(s.x))
    els.push(
      text(tickText(v, s.x), layout.px(v), bottom + 6, TICK, { align: 'center', fill: MUTED }),
    );
  for (const v of ticks(s.y))
    els.push(
      text(tickText(v, s.y), left - 8, layout.py(v) - TICK / 2, TICK, {
        align: 'right',
        fill: MUTED,
      }),
    );
  els.push(
    text(parts.axisName('impact'), plot.x + plot.w / 2, bottom + 28, AXIS_NAME, {
      align: 'center',
      bold: true,
    }),
  );
  els.push(
    text(parts.axisName('financial'), MARGIN, plot.y + plot.h / 2, AXIS_NAME, {
      align: 'center',
      bold: true,
      rotate: true,
    }),
  );
  let y = bottom + 56;
  const present = CATEGORIES.filter((c) => rows.some((r) => r.category === c));
  const leg = legend(
    present.map((c) => ({
      label: t(`results.category.${c}`),
      symbol: numbered ? 'circle' : CATEGORY_SYMBOLS[c],
      colour: CATEGORY_COLOURS[c],
    })),
    W,
    y,
    m,
  );
  els.push(...leg.elements);
  y += leg.height + 6;
  const notes = chartNotes(parts, rows, layout);
  const foot = footnotes(notes, W, y, m);
  els.push(...foot.elements);
  y += foot.height;
  const keyRows = numbered ? rows : layout.numbered;
  const key = keyTable(
    t('matrix.key'),
    [...keyRows]
      .sort((a, b) => a.rank - b.rank)
      .map((r) => ({
        number: r.rank,
        name: r.name,
        category: t(`results.category.${r.category}`),
      })),
    W,
    y + 4,
    m,
  );
  els.push(...key.elements);
  y += key.height + 4;
  const height = Math.ceil(y + MARGIN);
  const option = echartsOption(parts, rows, plot, s.x, s.y, els, numbered, layout);
  return { option, width: W, height, plotted: rows.length, plot: layout };
}

export function chartNotes(
  parts: ChartParts,
  rows: MatrixRow[],
  layout: PlotLayout | null,
): string[] {
  const t = translator(parts.lang);
  const notes: string[] = [];
  const list = (xs: string[]) => xs.join(parts.lang === 'en' ? '; ' : '；');
  if (parts.omitted.length)
    notes.push(
      t('matrix.notPlottedNote', {
        list: list(parts.omitted.map((o) => `${o.name} (${o.reason})`)),
      }),
    );
  if (rows.some((r) => r.lowN)) notes.push(t('matrix.lowNote', { n: parts.minReportN }));
  if (rows.some((r) => r.overridden)) notes.push(t('matrix.overrideNote'));
  if (rows.some((r) => parts.extras.uncertain?.has(r.code))) notes.push(t('matrix.uncertainNote'));
  if (parts.whiskers && rows.some((r) => parts.extras.intervals?.get(r.code)))
    notes.push(t('matrix.whiskerNote'));
  if (parts.arrows && rows.some((r) => r.previous)) notes.push(t('matrix.arrowNote'));
  if (layout?.numbered.length) notes.push(t('matrix.numberedNote'));
  if (layout?.unlabelled.length)
    notes.push(t('matrix.unlabelledNote', { list: list(layout.unlabelled.map((r) => r.name)) }));
  return notes;
}

function echartsOption(
  parts: ChartParts,
  rows: MatrixRow[],
  plot: Box,
  x: Scale,
  y: Scale,
  elements: Graphic[],
  numbered: boolean,
  layout: PlotLayout,
): MatrixOption {
  const t = translator(parts.lang);
  const th = parts.thresholds;
  const series: MatrixSeries[] = CATEGORIES.filter((c) => rows.some((r) => r.category === c)).map(
    (c) => ({
      id: `category-${c}`,
      type: 'scatter',
      name: t(`results.category.${c}`),
      symbol: numbered ? 'circle' : CATEGORY_SYMBOLS[c],
      symbolSize: 2 * (layout.markers[0]?.r ?? 6),
      itemStyle: { color: CATEGORY_COLOURS[c], opacity: 1, borderColor: '#ffffff', borderWidth: 1 },
      emphasis: { scale: 1.3 },
      label: { show: false },
      data: rows
        .filter((r) => r.category === c)
        .map((r): MatrixPoint => ({
          ...r,
          value: [r.impact!, r.financial!],
          // Hollow: a score from fewer than minReportN responses.
          ...(r.lowN
            ? { itemStyle: { color: '#ffffff', borderColor: CATEGORY_COLOURS[c], borderWidth: 2 } }
            : {}),
        })),
    }),
  );
  const area = (from: [number, number], to: [number, number], colour: string) => [
    { xAxis: from[0], yAxis: from[1], itemStyle: { color: colour } },
    { xAxis: to[0], yAxis: to[1] },
  ];
  const markup: MatrixSeries = {
    id: SERIES_MARKUP_ID,
    type: 'scatter',
    data: [],
    silent: true,
    markArea: {
      silent: true,
      label: { show: false },
      data: [
        area([th.impact, th.financial], [x.max, y.max], 'rgba(179, 38, 30, 0.06)'),
        area([th.impact, y.min], [x.max, th.financial], 'rgba(11, 92, 173, 0.04)'),
        area([x.min, th.financial], [th.impact, y.max], 'rgba(11, 92, 173, 0.04)'),
      ],
    },
    markLine: {
      silent: true,
      symbol: 'none',
      animation: false,
      label: { show: false },
      lineStyle: { color: '#1b1f24', type: 'dashed', width: 1.5 },
      data: [
        { name: 'impact', xAxis: th.impact },
        { name: 'financial', yAxis: th.financial },
      ],
    },
  };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: webFontFamily(parts.lang) },
    tooltip: { trigger: 'item', confine: true },
    grid: { left: plot.x, top: plot.y, width: plot.w, height: plot.h, containLabel: false },
    xAxis: valueAxis(x),
    yAxis: valueAxis(y),
    series: [markup, ...series],
    graphic: { elements },
  };
}

export function valueAxis(s: Scale) {
  return {
    type: 'value',
    min: s.min,
    max: s.max,
    interval: s.interval,
    // The name and the ticks are drawn as graphic text (placed with the fonts' metrics).
    axisLabel: { show: false },
    axisLine: { show: true, lineStyle: { color: '#555d66' } },
    axisTick: { show: true, lineStyle: { color: '#555d66' } },
    splitLine: { lineStyle: { color: '#e4e7eb' } },
  };
}
