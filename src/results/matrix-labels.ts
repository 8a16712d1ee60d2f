import {
  grow,
  inside,
  nearestOnBox,
  overlaps,
  segmentHitsBox,
  segmentsIntersect,
  type Box,
  type Segment,
} from './matrix-geometry';

/**
 * Label placement of the matrix, computed once in pixels for the server SVG, the PNG and the page.
 * Greedy, in the order given (rank order: the most material topics get the best places): each
 * label takes the cheapest candidate box that stays inside its marker's quadrant (so it never
 * crosses a threshold line or the frame, nor reads as a neighbour across a line), overlaps no
 * marker, label or line already drawn, and whose leader line, when it is away from its marker,
 * crosses none of them either. Variants (one line, two lines, shortened) are tried in that order
 * at each distance; a label with no place falls back to its number (listed in a key).
 */

export interface LabelVariant {
  lines: string[];
  w: number;
  h: number;
}

export interface LabelItem {
  id: string;
  /** marker centre and half-size */
  x: number;
  y: number;
  r: number;
  /** the area the label must stay in (its quadrant, inset) */
  region: Box;
  variants: LabelVariant[];
  /** the short form used when no variant fits (a number) */
  fallback?: LabelVariant;
  /** the label may sit on its own marker (numbers inside a numbered marker) */
  insideFirst?: boolean;
}

export interface PlacedLabel {
  id: string;
  lines: string[];
  box: Box;
  leader: Segment | null;
  fallback: boolean;
}

export interface Obstacles {
  /** every marker (with any ring around it) as a box */
  markers: { id: string; box: Box }[];
  /** labels placed before (quadrant names, threshold labels) */
  boxes: Box[];
  /** drawn lines labels must not cover (arrows, whiskers) */
  segments: Segment[];
}

/** Space kept between a label and anything else. */
export const LABEL_PAD = 3;
/** Gap between a marker and a label beside it; farther than NEAR it gets a leader line. */
const GAP = 4;
export const NEAR = 8;
const RINGS = [10, 18, 28, 40, 54, 70, 88, 108, 130, 156, 186];
const FAR = [...RINGS, 220, 260, 310];
const ANGLES = Array.from({ length: 24 }, (_, i) => (i * Math.PI) / 12);
const FINE = Array.from({ length: 48 }, (_, i) => (i * Math.PI) / 24);

interface Candidate {
  box: Box;
  cost: number;
  variant: LabelVariant;
  fallback: boolean;
}

function adjacent(
  item: LabelItem,
  v: LabelVariant,
  extra: number,
  fallback: boolean,
  out: Candidate[],
) {
  const { x, y, r } = item;
  const { w, h } = v;
  const d = r + GAP;
  const c = r * 0.7 + GAP;
  const at = (bx: number, by: number, cost: number) =>
    out.push({ box: { x: bx, y: by, w, h }, cost: cost + extra, variant: v, fallback });
  at(x + d, y - h / 2, 0);
  at(x - d - w, y - h / 2, 1);
  at(x + c, y - c - h, 2);
  at(x + c, y + c, 2);
  at(x - c - w, y - c - h, 3);
  at(x - c - w, y + c, 3);
  at(x - w / 2, y - d - h, 4);
  at(x - w / 2, y + d, 4);
}

function ringed(
  item: LabelItem,
  v: LabelVariant,
  extra: number,
  fallback: boolean,
  out: Candidate[],
  rings = RINGS,
  angles = ANGLES,
) {
  for (const dist of rings)
    for (const a of angles) {
      const ux = Math.cos(a);
      const uy = Math.sin(a);
      const cx = item.x + ux * (item.r + dist + (Math.abs(ux) * v.w) / 2);
      const cy = item.y + uy * (item.r + dist + (Math.abs(uy) * v.h) / 2);
      // Horizontal offsets read more naturally than vertical ones.
      out.push({
        box: { x: cx - v.w / 2, y: cy - v.h / 2, w: v.w, h: v.h },
        cost: 10 + dist + 6 * Math.abs(uy) + extra,
        variant: v,
        fallback,
      });
    }
}

/** The names' candidates, cheapest first; the fallback's apart (only tried when none fits). */
function candidates(item: LabelItem): { names: Candidate[]; fallback: Candidate[] } {
  const names: Candidate[] = [];
  item.variants.forEach((variant, i) => {
    const penalty = i * 14;
    if (item.insideFirst)
      names.push({
        box: { x: item.x - variant.w / 2, y: item.y - variant.h / 2, w: variant.w, h: variant.h },
        cost: -1,
        variant,
        fallback: false,
      });
    adjacent(item, variant, penalty, false, names);
    ringed(item, variant, penalty, false, names);
  });
  const fallback: Candidate[] = [];
  if (item.fallback) {
    adjacent(item, item.fallback, 1000, true, fallback);
    ringed(item, item.fallback, 1000, true, fallback, FAR, FINE);
  }
  const byCost = (a: Candidate, b: Candidate) => a.cost - b.cost;
  return { names: names.sort(byCost), fallback: fallback.sort(byCost) };
}

/** The leader from the marker's edge to the box, or null when the box is beside the marker. */
export function leaderFor(item: Pick<LabelItem, 'x' | 'y' | 'r'>, box: Box): Segment | null {
  const p = nearestOnBox(item.x, item.y, box);
  if (p.d <= item.r + NEAR) return null;
  const k = (item.r + 1) / p.d;
  return [item.x + (p.x - item.x) * k, item.y + (p.y - item.y) * k, p.x, p.y];
}

export function placeLabels(items: LabelItem[], obstacles: Obstacles): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const boxes = [...obstacles.boxes];
  const segments = [...obstacles.segments];
  for (const item of items) {
    const own = obstacles.markers.find((m) => m.id === item.id)?.box;
    const others = obstacles.markers.filter((m) => m.id !== item.id).map((m) => m.box);
    // relax 1: a leader may cross another leader; relax 2: also pass over a marker (last resort).
    const ok = (c: Candidate, relax = 0) => {
      const padded = grow(c.box, LABEL_PAD);
      if (!inside(c.box, item.region)) return false;
      const onOwn = c.cost < 0;
      if (!onOwn && own && overlaps(padded, own)) return false;
      if (onOwn && !(own && inside(c.box, own))) return false;
      if (others.some((b) => overlaps(padded, b))) return false;
      if (boxes.some((b) => overlaps(padded, b))) return false;
      if (segments.some((s) => segmentHitsBox(s, padded))) return false;
      const leader = onOwn ? null : leaderFor(item, c.box);
      if (leader) {
        if (relax < 2 && others.some((b) => segmentHitsBox(leader, b))) return false;
        if (boxes.some((b) => segmentHitsBox(leader, b))) return false;
        if (relax < 1 && segments.some((s) => segmentsIntersect(leader, s))) return false;
      }
      return true;
    };
    const all = candidates(item);
    const found =
      all.names.find((c) => ok(c)) ??
      all.fallback.find((c) => ok(c)) ??
      all.fallback.find((c) => ok(c, 1)) ??
      all.fallback.find((c) => ok(c, 2));
    if (!found) continue;
    const leader = found.cost < 0 ? null : leaderFor(item, found.box);
    placed.push({
      id: item.id,
      lines: found.variant.lines,
      box: found.box,
      leader,
      fallback: found.fallback,
    });
    boxes.push(found.box);
    if (leader) segments.push(leader);
  }
  return placed;
}
