/** Boxes and segments in the chart's pixel space (y down), for the label layout and its tests. */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Segment = [number, number, number, number];

export const grow = (b: Box, by: number): Box => ({
  x: b.x - by,
  y: b.y - by,
  w: b.w + 2 * by,
  h: b.h + 2 * by,
});

export const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export const inside = (a: Box, frame: Box): boolean =>
  a.x >= frame.x &&
  a.y >= frame.y &&
  a.x + a.w <= frame.x + frame.w &&
  a.y + a.h <= frame.y + frame.h;

/** Distance from a point to the nearest point of a box (0 inside it), and that point. */
export function nearestOnBox(px: number, py: number, b: Box): { x: number; y: number; d: number } {
  const x = Math.max(b.x, Math.min(px, b.x + b.w));
  const y = Math.max(b.y, Math.min(py, b.y + b.h));
  return { x, y, d: Math.hypot(px - x, py - y) };
}

function segmentsCross(a: Segment, b: Segment): boolean {
  const [x1, y1, x2, y2] = a;
  const [x3, y3, x4, y4] = b;
  const d = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3);
  if (d === 0) return false;
  const t = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / d;
  const u = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / d;
  return t > 0 && t < 1 && u > 0 && u < 1;
}

/** Whether a segment touches a box (an end inside it, or crossing one of its sides). */
export function segmentHitsBox(s: Segment, b: Box): boolean {
  const [x1, y1, x2, y2] = s;
  // Most pairs are far apart: compare the segment's bounding box first.
  if (Math.max(x1, x2) <= b.x || Math.min(x1, x2) >= b.x + b.w) return false;
  if (Math.max(y1, y2) <= b.y || Math.min(y1, y2) >= b.y + b.h) return false;
  const inBox = (x: number, y: number) => x > b.x && x < b.x + b.w && y > b.y && y < b.y + b.h;
  if (inBox(x1, y1) || inBox(x2, y2)) return true;
  const { x, y, w, h } = b;
  const sides: Segment[] = [
    [x, y, x + w, y],
    [x + w, y, x + w, y + h],
    [x, y + h, x + w, y + h],
    [x, y, x, y + h],
  ];
  return sides.some((side) => segmentsCross(s, side));
}

export const segmentsIntersect = segmentsCross;
