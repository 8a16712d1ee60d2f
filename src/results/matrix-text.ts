import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { AppError } from '../shared/errors';
import type { Lang } from '../shared/i18n';

/**
 * The bundled OFL Noto Sans CJK fonts (@embedpdf/fonts-tc and -sc) and text measured with their
 * metrics. The label layout measures with these, resvg renders the PNG with them and the SVG names
 * them first, so a label's box is the box of the text as printed. Their Latin glyphs cover English.
 */
export const FONTS = {
  tc: {
    pkg: '@embedpdf/fonts-tc',
    file: 'NotoSansHant-Regular.otf',
    family: 'Noto Sans T Chinese',
  },
  sc: {
    pkg: '@embedpdf/fonts-sc',
    file: 'NotoSansHans-Regular.otf',
    family: 'Noto Sans S Chinese',
  },
} as const;
type FontKey = keyof typeof FONTS;

const fontPath = (key: FontKey) =>
  path.join(path.dirname(require.resolve(FONTS[key].pkg)), '..', 'fonts', FONTS[key].file);

let fontFiles: string[] | undefined;

/** Paths of the bundled CJK fonts, resolved once (the packages' entry points sit in dist/). */
export function cjkFontFiles(): string[] {
  if (!fontFiles) {
    const files = (Object.keys(FONTS) as FontKey[]).map(fontPath);
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length)
      throw new AppError(500, 'font_missing', `CJK font not found: ${missing.join(', ')}`);
    fontFiles = files;
  }
  return fontFiles;
}

/** The bundled family that fits the language first; the other covers characters the first lacks. */
export function serverFontFamilies(lang: Lang): string[] {
  return lang === 'zh-Hans'
    ? [FONTS.sc.family, FONTS.tc.family]
    : [FONTS.tc.family, FONTS.sc.family];
}

interface Metrics {
  font: fontkit.Font;
  /** advance widths in em, by code point */
  widths: Map<number, number>;
}
const metrics = new Map<FontKey, Metrics>();

function fontFor(lang: Lang): Metrics {
  const key: FontKey = lang === 'zh-Hans' ? 'sc' : 'tc';
  let m = metrics.get(key);
  if (!m) {
    cjkFontFiles();
    const font = fontkit.openSync(fontPath(key)) as fontkit.Font;
    m = { font, widths: new Map() };
    metrics.set(key, m);
  }
  return m;
}

/**
 * Width in px of one line at `size` px: the sum of the glyphs' advances (kerning only ever narrows
 * Latin pairs in these fonts, so this is an upper bound of the printed width). Cached per glyph:
 * shaping every candidate label would cost a millisecond each.
 */
export function textWidth(text: string, size: number, lang: Lang): number {
  const m = fontFor(lang);
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    let w = m.widths.get(cp);
    if (w === undefined) {
      const glyph = m.font.glyphForCodePoint(cp);
      w = glyph.advanceWidth / m.font.unitsPerEm;
      m.widths.set(cp, w);
    }
    em += w;
  }
  return em * size;
}

/** The fonts' em box (ascent + descent = 1 em): a line is `size` tall, centred on its baseline. */
export const LINE_HEIGHT = 1.25;

export type Measure = (text: string, size: number) => number;

export const measurer =
  (lang: Lang): Measure =>
  (text, size) =>
    textWidth(text, size, lang);

/** Splits at spaces (Latin) or anywhere between CJK characters. */
function breakPoints(text: string): number[] {
  const chars = [...text];
  const points: number[] = [];
  for (let i = 1; i < chars.length; i++) {
    const prev = chars[i - 1] ?? '';
    const cur = chars[i] ?? '';
    if (cur === ' ' || /[\u3000-\u9fff\uff00-\uffef]/.test(prev + cur)) points.push(i);
  }
  return points;
}

/**
 * The ways a name can be set, best first: one line; two lines broken as evenly as possible; two
 * lines with the second shortened by an ellipsis to `maxWidth`. Each variant fits `maxWidth`.
 */
export function labelVariants(
  text: string,
  size: number,
  maxWidth: number,
  measure: Measure,
): string[][] {
  const out: string[][] = [];
  const whole = text.trim();
  if (measure(whole, size) <= maxWidth) out.push([whole]);
  const chars = [...whole];
  let best: { lines: string[]; width: number } | null = null;
  for (const i of breakPoints(whole)) {
    const lines = [chars.slice(0, i).join('').trim(), chars.slice(i).join('').trim()];
    const width = Math.max(...lines.map((l) => measure(l, size)));
    if (!best || width < best.width) best = { lines, width };
  }
  if (best && best.width <= maxWidth) out.push(best.lines);
  const first = best && measure(best.lines[0] ?? '', size) <= maxWidth ? best.lines[0]! : '';
  const rest = first ? whole.slice(first.length).trim() : whole;
  const short = ellipsize(rest, size, maxWidth, measure);
  if (short) out.push(first ? [first, short] : [short]);
  return out;
}

export function ellipsize(text: string, size: number, maxWidth: number, measure: Measure): string {
  if (measure(text, size) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1) {
    chars.pop();
    const s = `${chars.join('').trimEnd()}…`;
    if (measure(s, size) <= maxWidth) return s;
  }
  return '';
}
