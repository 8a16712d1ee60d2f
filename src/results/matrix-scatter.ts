import type { Box, Segment } from './matrix-geometry';
import { text, line, lines, INK, MUTED, type Graphic } from './matrix-frame';
import { placeLabels, type LabelItem, type PlacedLabel } from './matrix-labels';
import type { Axis, MatrixRow } from './matrix-rows';
import { labelVariants, LINE_HEIGHT, type Measure } from './matrix-text';
import { blockHeight } from './matrix-frame';

/**
 * The plot of the two-axis matrix in pixels: scales, quadrant names, threshold labels, marker
 * boxes, extras (arrows, whiskers, rings) and the topic labels placed around them.
 */

export interface Scale {
  min: number;
  max: number;
  interval: number;
}

export interface PlotInput {
  plot: Box;
  x: Scale;
  y: Scale;
  thresholds: Record<Axis, number>;
  rows: MatrixRow[];
  mode: 'names' | 'numbered' | 'none';
  labelSize: number;
  markerR: number;
  measure: Measure;
  quadrantNames: Record<'double' | 'impact' | 'financial' | 'none', string>;
  thresholdText: (v: number) => string;
  arrows: boolean;
  intervals?: Map<
    string,
    { impact?: [number, number] | null; financial?: [number, number] | null }
  >;
  uncertain?: Set<string>;
}

export interface PlotLayout {
  elements: Graphic[];
  labels: PlacedLabel[];
  /** topics whose name did not fit and that show their number (listed in the key) */
  numbered: MatrixRow[];
  /** topics left without any label (none could be placed) */
  unlabelled: MatrixRow[];
  px: (v: number) => number;
  py: (v: number) => number;
  markers: { code: string; cx: number; cy: number; r: number }[];
}

const QUADRANT = 12;
const THRESHOLD = 11;

export function layoutPlot(p: PlotInput): PlotLayout {
  const { plot } = p;
  const px = (v: number) => plot.x + ((v - p.x.min) / (p.x.max - p.x.min)) * plot.w;
  const py = (v: number) => plot.y + plot.h - ((v - p.y.min) / (p.y.max - p.y.min)) * plot.h;
  const tx = px(p.thresholds.impact);
  const ty = py(p.thresholds.financial);
  const elements: Graphic[] = [];
  const fixed: Box[] = [];
  const segments: Segment[] = [];

  const markers = p.rows.map((r) => {
    const ring = r.overridden || p.uncertain?.has(r.code) ? 4 : 0;
    return { code: r.code, cx: px(r.impact!), cy: py(r.financial!), r: p.markerR, ring };
  });
  const markerBoxes = markers.map((m) => {
    const e = m.r + m.ring + 1;
    return { id: m.code, box: { x: m.cx - e, y: m.cy - e, w: 2 * e, h: 2 * e } };
  });

  // Rings: an override (solid) and an uncertain classification (dashed).
  for (const [i, r] of p.rows.entries()) {
    const m = markers[i]!;
    if (r.overridden) elements.push(ring(m.cx, m.cy, m.r + 3, INK, []));
    if (p.uncertain?.has(r.code))
      elements.push(ring(m.cx, m.cy, m.r + (r.overridden ? 5 : 3), '#b26a00', [3, 2]));
  }
  // Whiskers (95% intervals), then year-over-year arrows; labels keep off both.
  for (const [i, r] of p.rows.entries()) {
    const m = markers[i]!;
    const iv = p.intervals?.get(r.code);
    const clampX = (v: number) => Math.max(plot.x, Math.min(plot.x + plot.w, px(v)));
    const clampY = (v: number) => Math.max(plot.y, Math.min(plot.y + plot.h, py(v)));
    if (iv?.impact) {
      const s: Segment = [clampX(iv.impact[0]), m.cy, clampX(iv.impact[1]), m.cy];
      segments.push(s);
      elements.push(line(...s, { stroke: MUTED }));
    }
    if (iv?.financial) {
      const s: Segment = [m.cx, clampY(iv.financial[0]), m.cx, clampY(iv.financial[1])];
      segments.push(s);
      elements.push(line(...s, { stroke: MUTED }));
    }
    if (p.arrows && r.previous) {
      const x0 = clampX(r.previous.impact);
      const y0 = clampY(r.previous.financial);
      const d = Math.hypot(m.cx - x0, m.cy - y0);
      if (d > m.r + 6) {
        const k = (d - m.r - 2) / d;
        const s: Segment = [x0, y0, x0 + (m.cx - x0) * k, y0 + (m.cy - y0) * k];
        segments.push(s);
        elements.push(...arrow(s));
      }
    }
  }

  // Quadrant names in their outer corners, threshold values beside their lines: placed first.
  const obstacles = () => [...fixed, ...markerBoxes.map((m) => m.box)];
  const free = (b: Box) =>
    b.x >= plot.x + 2 &&
    b.y >= plot.y + 2 &&
    b.x + b.w <= plot.x + plot.w - 2 &&
    b.y + b.h <= plot.y + plot.h - 2 &&
    !(b.x - 3 < tx && b.x + b.w + 3 > tx) &&
    !(b.y - 3 < ty && b.y + b.h + 3 > ty) &&
    !obstacles().some(
      (o) =>
        b.x < o.x + o.w + 3 && o.x < b.x + b.w + 3 && b.y < o.y + o.h + 3 && o.y < b.y + b.h + 3,
    );
  const put = (
    s: string,
    size: number,
    candidates: [number, number][],
    o: { bold?: boolean; fill?: string },
  ) => {
    const w = p.measure(s, size);
    for (const [x, y] of candidates) {
      const b = { x, y, w, h: size };
      if (free(b)) {
        fixed.push(b);
        elements.push(text(s, x, y, size, o));
        return;
      }
    }
  };
  const inset = 6;
  const q = (s: string, corners: [number, number][]) =>
    put(s, QUADRANT, corners, { bold: true, fill: MUTED });
  const qw = (s: string) => p.measure(s, QUADRANT);
  const left = plot.x + inset;
  const right = (s: string) => plot.x + plot.w - inset - qw(s);
  const top = plot.y + inset;
  const bottom = plot.y + plot.h - inset - QUADRANT;
  const n = p.quadrantNames;
  q(n.double, [
    [right(n.double), top],
    [right(n.double), ty - inset - QUADRANT],
    [tx + inset, top],
  ]);
  q(n.impact, [
    [right(n.impact), bottom],
    [right(n.impact), ty + inset],
    [tx + inset, bottom],
  ]);
  q(n.financial, [
    [left, top],
    [left, ty - inset - QUADRANT],
    [tx - inset - qw(n.financial), top],
  ]);
  q(n.none, [
    [left, bottom],
    [left, ty + inset],
    [tx - inset - qw(n.none), bottom],
  ]);
  const vt = p.thresholdText(p.thresholds.impact);
  const vw = p.measure(vt, THRESHOLD);
  const ht = p.thresholdText(p.thresholds.financial);
  const hw = p.measure(ht, THRESHOLD);
  const along = (from: number, to: number) => {
    const out: number[] = [];
    for (let k = 0; k <= 8; k++) out.push(from + ((to - from) * k) / 8);
    return out;
  };
  put(
    vt,
    THRESHOLD,
    along(top + QUADRANT + 6, bottom - THRESHOLD).flatMap((y): [number, number][] => [
      [tx + 4, y],
      [tx - 4 - vw, y],
    ]),
    {},
  );
  put(
    ht,
    THRESHOLD,
    along(plot.x + plot.w - inset - hw, left).flatMap((x): [number, number][] => [
      [x, ty - 4 - THRESHOLD],
      [x, ty + 4],
    ]),
    {},
  );

  // Topic labels: names (numbers when a name has no room) or numbers, in rank order.
  const size = p.labelSize;
  const lh = size * LINE_HEIGHT;
  void lh;
  const variant = (ls: string[]) => ({
    lines: ls,
    w: Math.max(...ls.map((l) => p.measure(l, size))) + 1,
    h: blockHeight(ls.length, size),
  });
  const maxWidth = Math.min(220, plot.w / 3);
  const items: LabelItem[] =
    p.mode === 'none'
      ? []
      : p.rows.map((r, i) => {
          const m = markers[i]!;
          const right = r.impact! >= p.thresholds.impact;
          const up = r.financial! >= p.thresholds.financial;
          const region = {
            x: right ? tx + 2 : plot.x + 2,
            y: up ? plot.y + 2 : ty + 2,
            w: (right ? plot.x + plot.w - tx : tx - plot.x) - 4,
            h: (up ? ty - plot.y : plot.y + plot.h - ty) - 4,
          };
          const number = variant([String(r.rank)]);
          const names = labelVariants(r.name, size, maxWidth, p.measure).map(variant);
          return p.mode === 'numbered'
            ? {
                id: r.code,
                x: m.cx,
                y: m.cy,
                r: m.r + m.ring,
                region,
                variants: [number],
                insideFirst: !m.ring,
              }
            : {
                id: r.code,
                x: m.cx,
                y: m.cy,
                r: m.r + m.ring,
                region,
                variants: names,
                fallback: number,
              };
        });
  const order = [...items].sort((a, b) => rankOf(p.rows, a.id) - rankOf(p.rows, b.id));
  const placed = placeLabels(order, { markers: markerBoxes, boxes: fixed, segments });
  const byCode = new Map(placed.map((l) => [l.id, l]));
  for (const l of placed) {
    if (l.leader) elements.push(line(...l.leader, { stroke: '#6b737c', width: 0.8 }));
    const inside = p.mode === 'numbered' && !l.leader && isOn(l.box, markers, l.id);
    // On a filled marker the number is white; on a hollow one (few responses) it takes the ink.
    const hollow = p.rows.find((r) => r.code === l.id)?.lowN;
    const fill = inside && !hollow ? '#ffffff' : INK;
    elements.push(...lines(l.lines, l.box, size, { fill, align: inside ? 'center' : 'left' }));
  }
  const numbered = p.rows.filter((r) => byCode.get(r.code)?.fallback);
  const unlabelled = p.mode === 'none' ? [] : p.rows.filter((r) => !byCode.has(r.code));
  return {
    elements,
    labels: placed,
    numbered,
    unlabelled,
    px,
    py,
    markers: markers.map(({ code, cx, cy, r }) => ({ code, cx, cy, r })),
  };
}

const rankOf = (rows: MatrixRow[], code: string) => rows.find((r) => r.code === code)?.rank ?? 0;

function isOn(
  box: Box,
  markers: { code: string; cx: number; cy: number }[],
  code: string,
): boolean {
  const m = markers.find((x) => x.code === code);
  return Boolean(
    m && Math.abs(box.x + box.w / 2 - m.cx) < 1 && Math.abs(box.y + box.h / 2 - m.cy) < 1,
  );
}

function ring(cx: number, cy: number, r: number, stroke: string, dash: number[]): Graphic {
  return {
    type: 'circle',
    z: 99,
    silent: true,
    shape: { cx, cy, r },
    style: { fill: 'none', stroke, lineWidth: 1.5, ...(dash.length ? { lineDash: dash } : {}) },
  };
}

function arrow(s: Segment): Graphic[] {
  const [x1, y1, x2, y2] = s;
  const a = Math.atan2(y2 - y1, x2 - x1);
  const head = (d: number) => [x2 - 7 * Math.cos(a + d), y2 - 7 * Math.sin(a + d)];
  return [
    line(x1, y1, x2, y2, { stroke: '#8a939c', width: 1 }),
    {
      type: 'polygon',
      z: 100,
      silent: true,
      shape: { points: [[x2, y2], head(0.45), head(-0.45)] },
      style: { fill: '#8a939c' },
    },
  ];
}
