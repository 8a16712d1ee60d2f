import { ownValue } from '../scoring';
import type { Analytics } from './compute';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** −1 (red) through 0 (white) to +1 (blue), so sign and strength both read at a glance. */
function colour(rho: number | null): string {
  if (rho === null) return '#e5e5e5';
  const v = Math.max(-1, Math.min(1, rho));
  const mix = (a: number, b: number, k: number) => Math.round(a + (b - a) * k);
  const [r, g, b] = v >= 0 ? [33, 102, 172] : [178, 24, 43];
  const k = Math.abs(v);
  return `rgb(${mix(255, r, k)},${mix(255, g, k)},${mix(255, b, k)})`;
}

/**
 * The Spearman matrix as a server-rendered SVG heat map (works without JavaScript); the table
 * beside it carries the same numbers for screen readers, so the image is labelled, not described.
 */
export function heatmapSvg(
  ag: Analytics['agreement'],
  name: (code: string) => string,
  label: string,
): string {
  const n = ag.groups.length;
  const cell = 44;
  const left = 150;
  const top = 24;
  const width = left + n * cell + 8;
  const height = top + n * cell + 8;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}">`,
  ];
  ag.groups.forEach((g, i) => {
    parts.push(
      `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="12">${esc(name(g).slice(0, 22))}</text>`,
    );
    parts.push(
      `<text x="${left + i * cell + cell / 2}" y="${top - 8}" text-anchor="middle" font-size="11">${i + 1}</text>`,
    );
    ag.groups.forEach((h, j) => {
      const rho = ownValue(ownValue(ag.spearman, g), h) ?? null;
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(
        `<rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="${colour(rho)}"/>`,
        `<text x="${x + cell / 2 - 1}" y="${y + cell / 2 + 4}" text-anchor="middle" font-size="11" fill="${rho !== null && Math.abs(rho) > 0.6 ? '#fff' : '#111'}">${rho === null ? '—' : rho.toFixed(2)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
