import type { Lang } from '../shared/i18n';
import type { MatrixRow } from './matrix-rows';

/** Constants and types of the matrix shared by its modules (matrix-chart.ts re-exports them). */

export const CATEGORIES = ['E', 'S', 'G'] as const;
export type Category = (typeof CATEGORIES)[number];

// The colours of the page's E/S/G badges; a shape per category too, so colour is not the only cue.
export const CATEGORY_COLOURS: Record<Category, string> = {
  E: '#2e7d32',
  S: '#1565c0',
  G: '#6a1b9a',
};
export const CATEGORY_SYMBOLS: Record<Category, 'circle' | 'rect' | 'triangle'> = {
  E: 'circle',
  S: 'rect',
  G: 'triangle',
};

/** Browsers pick from the system; the server names the bundled CJK fonts first. */
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
/** The picture's width in px; its height follows from the content (notes, key). */
export const CHART_WIDTH = 1000;

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

export type LabelMode = 'names' | 'numbered' | 'none';
export type RangeMode = 'full' | 'fit';

export interface MatrixTopicRef {
  code: string;
  name: string;
  /** why it is not plotted, per axis, e.g. "Financial: not asked of this group" */
  reason: string;
}

/** A plotted topic; everything the client's tooltip formatter shows travels with it. */
export interface MatrixPoint extends MatrixRow {
  value: [number, number];
}

// The option is typed by what we emit, not by ECharts' (huge) union types; the renderers cast it.
export type MatrixOption = Record<string, unknown> & {
  series: MatrixSeries[];
  xAxis: Record<string, unknown>;
  yAxis: Record<string, unknown>;
  graphic: { elements: Record<string, unknown>[] };
  /** not an ECharts key (ignored by it): the size the layout was computed for */
  chartSize?: { width: number; height: number };
};

export type MatrixSeries = Record<string, unknown> & {
  id: string;
  type: 'scatter';
  name?: string;
  data: MatrixPoint[];
};
