import path from 'node:path';
import * as fontkit from 'fontkit';
import { XMLParser } from 'fast-xml-parser';
import type { Box } from '../../src/results/matrix-geometry';

/**
 * Reads the server SVG back as geometry: every text's box computed with the bundled fonts' own
 * shaping (fontkit's layout, with kerning: not the chart's cached advances), every marker from its
 * transform, every plain line. Independent of the layout code, so the geometry test checks the
 * picture as printed.
 */

const fontFile = (pkg: string, file: string) =>
  path.join(path.dirname(require.resolve(pkg)), '..', 'fonts', file);
const fonts = {
  tc: fontkit.openSync(fontFile('@embedpdf/fonts-tc', 'NotoSansHant-Regular.otf')) as fontkit.Font,
  sc: fontkit.openSync(fontFile('@embedpdf/fonts-sc', 'NotoSansHans-Regular.otf')) as fontkit.Font,
};

export interface SvgText {
  text: string;
  box: Box;
}
export interface SvgMarker {
  series: number;
  index: number;
  cx: number;
  cy: number;
  r: number;
}
export interface SvgLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  dashed: boolean;
}

type Node = Record<string, unknown>;

function walk(node: unknown, visit: (name: string, n: Node) => void) {
  if (!node || typeof node !== 'object') return;
  for (const [name, value] of Object.entries(node as Node)) {
    if (name.startsWith('@_') || name === '#text') continue;
    for (const n of Array.isArray(value) ? value : [value]) {
      if (n && typeof n === 'object') {
        visit(name, n as Node);
        walk(n, visit);
      }
    }
  }
}

function matrixOf(transform: string | undefined): number[] {
  if (!transform) return [1, 0, 0, 1, 0, 0];
  const nums = (transform.match(/-?[\d.]+(e-?\d+)?/g) ?? []).map(Number);
  if (transform.startsWith('translate')) return [1, 0, 0, 1, nums[0] ?? 0, nums[1] ?? 0];
  if (transform.startsWith('matrix')) return nums;
  throw new Error(`unexpected transform ${transform}`);
}

const apply = (m: number[], x: number, y: number): [number, number] => [
  m[0]! * x + m[2]! * y + m[4]!,
  m[1]! * x + m[3]! * y + m[5]!,
];

export function readSvg(svg: string, lang: string) {
  const doc = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: false,
  }).parse(svg);
  const font = lang === 'zh-Hans' ? fonts.sc : fonts.tc;
  const texts: SvgText[] = [];
  const markers: SvgMarker[] = [];
  const lines: SvgLine[] = [];
  walk(doc, (name, n) => {
    const attr = (k: string) => n[`@_${k}`] as string | undefined;
    if (name === 'text') {
      const content = typeof n['#text'] === 'string' ? n['#text'] : '';
      if (!content.trim()) return;
      const size = parseFloat(attr('font-size') ?? '12');
      const width = (font.layout(content).advanceWidth / font.unitsPerEm) * size;
      const anchor = attr('text-anchor') ?? 'start';
      const x0 = anchor === 'middle' ? -width / 2 : anchor === 'end' ? -width : 0;
      const y = parseFloat(attr('y') ?? '0');
      if (attr('dominant-baseline') !== 'central') throw new Error('expected central baselines');
      const m = matrixOf(attr('transform'));
      const corners = [
        apply(m, x0, y - size / 2),
        apply(m, x0 + width, y - size / 2),
        apply(m, x0, y + size / 2),
        apply(m, x0 + width, y + size / 2),
      ];
      const xs = corners.map((c) => c[0]);
      const ys = corners.map((c) => c[1]);
      const bx = Math.min(...xs);
      const by = Math.min(...ys);
      texts.push({
        text: content,
        box: { x: bx, y: by, w: Math.max(...xs) - bx, h: Math.max(...ys) - by },
      });
    } else if (name === 'path') {
      const d = attr('d') ?? '';
      if (attr('ecmeta_series_index') !== undefined && attr('transform')?.startsWith('matrix')) {
        const m = matrixOf(attr('transform'));
        markers.push({
          series: Number(attr('ecmeta_series_index')),
          index: Number(attr('ecmeta_data_index')),
          cx: m[4]!,
          cy: m[5]!,
          r: Math.abs(m[0]!) + (attr('stroke-width') ? parseFloat(attr('stroke-width')!) / 2 : 0),
        });
        return;
      }
      const seg = /^M(-?[\d.]+) (-?[\d.]+)L(-?[\d.]+) (-?[\d.]+)$/.exec(d);
      if (seg && !attr('transform'))
        lines.push({
          x1: Number(seg[1]),
          y1: Number(seg[2]),
          x2: Number(seg[3]),
          y2: Number(seg[4]),
          dashed: attr('stroke-dasharray') !== undefined,
        });
    }
  });
  return { texts, markers, lines };
}
