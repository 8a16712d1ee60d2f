import { translator } from '../shared/i18n';
import { chartNotes, ticks, tickText, valueAxis, type ChartParts } from './matrix-compose';
import {
  blockHeight,
  footnotes,
  header,
  legend,
  lines,
  MARGIN,
  MUTED,
  text,
  type Graphic,
} from './matrix-frame';
import type { Axis } from './matrix-rows';
import type { Scale } from './matrix-scatter';
import { labelVariants } from './matrix-text';
import {
  CATEGORIES,
  CATEGORY_COLOURS,
  CATEGORY_SYMBOLS,
  CHART_WIDTH,
  SERIES_MARKUP_ID,
  webFontFamily,
  type MatrixOption,
  type MatrixPoint,
  type MatrixSeries,
} from './matrix-types';

/**
 * A group that answers one questionnaire only has scores on one axis: a scatter would pile every
 * topic on a line at 0. It gets a ranked dot chart of that axis instead: one row per topic, best
 * first, names on the left, the threshold as a vertical line.
 */
export function buildDotChart(parts: ChartParts, axis: Axis, x: Scale) {
  const t = translator(parts.lang);
  const m = parts.measure;
  const W = CHART_WIDTH;
  const size = parts.labelSize;
  const head = header({
    width: W,
    title: parts.title,
    subtitle: `${parts.subtitle} · ${t('matrix.dotsTitle', { axis: parts.axisName(axis) })}`,
    stamp: parts.stamp,
    measure: m,
  });
  const rows = parts.rows
    .filter((r) => r[axis] !== null)
    .sort((a, b) => (b[axis] ?? 0) - (a[axis] ?? 0) || a.rank - b.rank);
  const labelW = 300;
  const rowH = Math.ceil(blockHeight(2, size) + 8);
  const plot = {
    x: MARGIN + labelW + 16,
    y: head.height + 18,
    w: W - (MARGIN + labelW + 16) - MARGIN - 8,
    h: Math.max(1, rows.length) * rowH,
  };
  const px = (v: number) => plot.x + ((v - x.min) / (x.max - x.min)) * plot.w;
  const rowY = (i: number) => plot.y + i * rowH + rowH / 2;
  const els: Graphic[] = [...head.elements];
  rows.forEach((r, i) => {
    const variants = labelVariants(r.name, size, labelW, m);
    const ls = variants[0] ?? [r.name];
    const w = Math.max(...ls.map((l) => m(l, size)));
    const h = blockHeight(ls.length, size);
    els.push(...lines(ls, { x: plot.x - 12 - w, y: rowY(i) - h / 2, w, h }, size));
  });
  const threshold = parts.thresholds[axis];
  els.push(
    text(
      t('results.matrix.threshold', { value: threshold.toFixed(2) }),
      px(threshold),
      plot.y - 16,
      11,
      { align: 'center' },
    ),
  );
  const bottom = plot.y + plot.h;
  for (const v of ticks(x))
    els.push(text(tickText(v, x), px(v), bottom + 6, 12, { align: 'center', fill: MUTED }));
  els.push(
    text(parts.axisName(axis), plot.x + plot.w / 2, bottom + 28, 14, {
      align: 'center',
      bold: true,
    }),
  );
  let y = bottom + 56;
  const present = CATEGORIES.filter((c) => rows.some((r) => r.category === c));
  const leg = legend(
    present.map((c) => ({
      label: t(`results.category.${c}`),
      symbol: CATEGORY_SYMBOLS[c],
      colour: CATEGORY_COLOURS[c],
    })),
    W,
    y,
    m,
  );
  els.push(...leg.elements);
  y += leg.height + 6;
  const foot = footnotes(chartNotes(parts, rows, null), W, y, m);
  els.push(...foot.elements);
  y += foot.height;
  const n = Math.max(1, rows.length);
  const pos = new Map(rows.map((r, i) => [r.code, n - i - 0.5]));
  const series: MatrixSeries[] = present.map((c) => ({
    id: `category-${c}`,
    type: 'scatter',
    name: t(`results.category.${c}`),
    symbol: CATEGORY_SYMBOLS[c],
    symbolSize: 12,
    itemStyle: { color: CATEGORY_COLOURS[c], opacity: 1, borderColor: '#ffffff', borderWidth: 1 },
    label: { show: false },
    data: rows
      .filter((r) => r.category === c)
      .map((r): MatrixPoint => ({
        ...r,
        value: [r[axis]!, pos.get(r.code)!],
        ...(r.lowN
          ? { itemStyle: { color: '#ffffff', borderColor: CATEGORY_COLOURS[c], borderWidth: 2 } }
          : {}),
      })),
  }));
  const markup: MatrixSeries = {
    id: SERIES_MARKUP_ID,
    type: 'scatter',
    data: [],
    silent: true,
    markLine: {
      silent: true,
      symbol: 'none',
      animation: false,
      label: { show: false },
      lineStyle: { color: '#1b1f24', type: 'dashed', width: 1.5 },
      data: [{ name: axis, xAxis: threshold }],
    },
  };
  const option: MatrixOption = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: webFontFamily(parts.lang) },
    tooltip: { trigger: 'item', confine: true },
    grid: { left: plot.x, top: plot.y, width: plot.w, height: plot.h, containLabel: false },
    xAxis: valueAxis(x),
    yAxis: {
      type: 'value',
      min: 0,
      max: n,
      interval: 1,
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { show: true, lineStyle: { color: '#555d66' } },
      splitLine: { lineStyle: { color: '#f0f2f4' } },
    },
    series: [markup, ...series],
    graphic: { elements: els },
  };
  return {
    option,
    width: W,
    height: Math.ceil(y + MARGIN),
    plotted: rows.length,
    dotRows: rows,
  };
}
