import type { Box } from './matrix-geometry';
import { ellipsize, type Measure } from './matrix-text';

/**
 * Drawing primitives of the matrix (ECharts `graphic` elements in pixels: plain JSON) and the parts
 * around the plot: header, corner stamp, legend, footnotes, key. Everything is placed here, not by
 * ECharts, so the boxes the layout reasons about are the boxes printed.
 */

export type Graphic = Record<string, unknown>;
export const INK = '#1b1f24';
export const MUTED = '#555d66';
/** Graphic elements sit above the series (quadrant fills, markers). */
const Z = 100;

/** One line of text whose box is (x…x+w, y…y+size) for align 'left' (the fonts' em box). */
export function text(
  s: string,
  x: number,
  y: number,
  size: number,
  o: { align?: 'left' | 'center' | 'right'; fill?: string; bold?: boolean; rotate?: boolean } = {},
): Graphic {
  return {
    type: 'text',
    x,
    y,
    z: Z + 2,
    silent: true,
    ...(o.rotate ? { rotation: Math.PI / 2 } : {}),
    style: {
      text: s,
      fontSize: size,
      fontWeight: o.bold ? 'bold' : 'normal',
      fill: o.fill ?? INK,
      textAlign: o.align ?? 'left',
      textVerticalAlign: 'top',
    },
  };
}

export function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  o: { stroke?: string; width?: number; dash?: number[] } = {},
): Graphic {
  return {
    type: 'line',
    z: Z,
    silent: true,
    shape: { x1, y1, x2, y2 },
    style: {
      stroke: o.stroke ?? MUTED,
      lineWidth: o.width ?? 1,
      ...(o.dash ? { lineDash: o.dash } : {}),
    },
  };
}

/** Lines of a label, one text element each (so a renderer never re-wraps them). */
export function lines(
  ls: string[],
  box: Box,
  size: number,
  o: { align?: 'left' | 'center'; fill?: string } = {},
): Graphic[] {
  const step = size * LINE_STEP;
  return ls.map((l, i) =>
    text(l, o.align === 'center' ? box.x + box.w / 2 : box.x, box.y + i * step, size, o),
  );
}

export const LINE_STEP = 1.2;
export const blockHeight = (n: number, size: number) => size + (n - 1) * size * LINE_STEP;

/** Greedy word wrap to `width` (CJK text breaks between any two characters). */
export function wrap(s: string, size: number, width: number, measure: Measure): string[] {
  const tokens =
    s.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+/g) ?? [];
  const out: string[] = [];
  let cur = '';
  for (const tok of tokens) {
    if (cur && measure((cur + tok).trimEnd(), size) > width) {
      out.push(cur.trimEnd());
      cur = tok.trimStart();
    } else cur += tok;
  }
  if (cur.trim()) out.push(cur.trimEnd());
  return out.map((l) => ellipsize(l, size, width, measure));
}

export interface HeaderInput {
  width: number;
  title: string;
  subtitle: string;
  stamp?: string | null;
  measure: Measure;
}

export const MARGIN = 16;
const TITLE = 16;
const SUBTITLE = 13;
const STAMP = 11;

/** Title, subtitle and the corner stamp; returns the elements and the height used. */
export function header(h: HeaderInput): { elements: Graphic[]; height: number } {
  const els: Graphic[] = [];
  let reserve = 0;
  if (h.stamp) {
    const stamp = ellipsize(h.stamp, STAMP, h.width / 3, h.measure);
    els.push(
      text(stamp, h.width - MARGIN, MARGIN - 4, STAMP, {
        align: 'right',
        fill: '#b3261e',
        bold: true,
      }),
    );
    reserve = h.measure(stamp, STAMP) + 16;
  }
  const room = h.width - 2 * (MARGIN + reserve);
  const mid = h.width / 2;
  els.push(
    text(ellipsize(h.title, TITLE, room, h.measure), mid, MARGIN, TITLE, {
      align: 'center',
      bold: true,
    }),
  );
  els.push(
    text(ellipsize(h.subtitle, SUBTITLE, room, h.measure), mid, MARGIN + TITLE + 6, SUBTITLE, {
      align: 'center',
      fill: MUTED,
    }),
  );
  return { elements: els, height: MARGIN + TITLE + 6 + SUBTITLE + 14 };
}

export interface LegendItem {
  label: string;
  symbol: 'circle' | 'rect' | 'triangle';
  colour: string;
}

/** A centred row of symbol + name, `y` at its top; returns its height. */
export function legend(
  items: LegendItem[],
  width: number,
  y: number,
  measure: Measure,
): { elements: Graphic[]; height: number } {
  const size = 12;
  const widths = items.map((i) => 14 + 6 + measure(i.label, size));
  const gap = 24;
  const total = widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, items.length - 1);
  let x = (width - total) / 2;
  const els: Graphic[] = [];
  items.forEach((item, i) => {
    els.push(symbol(item.symbol, x + 7, y + size / 2, 6, item.colour));
    els.push(text(item.label, x + 20, y, size));
    x += (widths[i] ?? 0) + gap;
  });
  return { elements: els, height: size + 8 };
}

export function symbol(
  kind: LegendItem['symbol'],
  cx: number,
  cy: number,
  r: number,
  fill: string,
): Graphic {
  const base = { z: Z, silent: true, style: { fill } };
  if (kind === 'rect')
    return { ...base, type: 'rect', shape: { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r } };
  if (kind === 'triangle')
    return {
      ...base,
      type: 'polygon',
      shape: {
        points: [
          [cx, cy - r],
          [cx + r, cy + r],
          [cx - r, cy + r],
        ],
      },
    };
  return { ...base, type: 'circle', shape: { cx, cy, r } };
}

/** Footnotes, wrapped to the width; returns the height used. */
export function footnotes(
  notes: string[],
  width: number,
  y: number,
  measure: Measure,
): { elements: Graphic[]; height: number } {
  const size = 11;
  const els: Graphic[] = [];
  let dy = 0;
  for (const note of notes)
    for (const l of wrap(note, size, width - 2 * MARGIN, measure)) {
      els.push(text(l, MARGIN, y + dy, size, { fill: MUTED }));
      dy += size * 1.5;
    }
  return { elements: els, height: dy ? dy + 6 : 0 };
}

export interface KeyEntry {
  number: number;
  name: string;
  category: string;
}

/** The key of numbered markers: number, topic and category, in columns; returns the height used. */
export function keyTable(
  heading: string,
  entries: KeyEntry[],
  width: number,
  y: number,
  measure: Measure,
): { elements: Graphic[]; height: number } {
  if (!entries.length) return { elements: [], height: 0 };
  const size = 12;
  const row = 18;
  const columns = width >= 900 ? 2 : 1;
  const colW = (width - 2 * MARGIN - (columns - 1) * 24) / columns;
  const perColumn = Math.ceil(entries.length / columns);
  const els: Graphic[] = [text(heading, MARGIN, y, 13, { bold: true })];
  const catW = Math.max(...entries.map((e) => measure(e.category, 11)));
  entries.forEach((e, i) => {
    const col = Math.floor(i / perColumn);
    const x = MARGIN + col * (colW + 24);
    const top = y + 22 + (i % perColumn) * row;
    els.push(text(String(e.number), x + 24, top, size, { align: 'right', bold: true }));
    const nameW = colW - 32 - catW - 12;
    els.push(text(ellipsize(e.name, size, nameW, measure), x + 32, top, size));
    els.push(text(e.category, x + colW, top + 1, 11, { align: 'right', fill: MUTED }));
  });
  return { elements: els, height: 22 + perColumn * row + 8 };
}
