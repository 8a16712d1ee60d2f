import fs from 'node:fs';
import path from 'node:path';
import * as echarts from 'echarts';
import { renderAsync } from '@resvg/resvg-js';
import { AppError } from '../shared/errors';
import type { Lang } from '../shared/i18n';
import type { MatrixOption } from './matrix-chart';

/** The SVG's own size; it scales through its viewBox, and the PNG is resized from it. */
export const SVG_WIDTH = 1000;
export const SVG_HEIGHT = 750;

// The OFL Noto Sans CJK fonts of @embedpdf/fonts-tc and -sc, by the family names inside the files.
// Their Latin glyphs cover English labels too, so no system font is needed (or trusted).
const FONTS = {
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

let fontFiles: string[] | undefined;

/** Paths of the bundled CJK fonts, resolved once (the packages' entry points sit in dist/). */
export function cjkFontFiles(): string[] {
  if (!fontFiles) {
    const files = Object.values(FONTS).map((f) =>
      path.join(path.dirname(require.resolve(f.pkg)), '..', 'fonts', f.file),
    );
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

/**
 * Server rendering needs the label placement pinned (see pinLabelLayout) and the bundled fonts
 * named in the SVG, so resvg renders Chinese and a browser opening the file still falls back.
 */
function forServer(option: MatrixOption, lang: Lang): MatrixOption {
  const web = (option.textStyle as { fontFamily?: string } | undefined)?.fontFamily ?? 'sans-serif';
  const fontFamily = [...serverFontFamilies(lang).map((f) => `'${f}'`), web].join(', ');
  return {
    ...option,
    textStyle: { ...(option.textStyle as object), fontFamily },
    series: option.series.map((s) =>
      s.labelLayout ? { ...s, labelLayout: pinLabelLayout(s.labelLayout) } : s,
    ),
  };
}

/**
 * ECharts recomputes a label attached to its point ('right') on every render, which undoes the
 * `moveOverlap` shift; pinning the label where ECharts first placed it lets the shift stick. The
 * anchor keeps the side that touches the point, so a font wider than estimated grows away from it.
 * public/js/matrix.js does the same in the browser.
 */
export function pinLabelLayout(layout: object) {
  return (p: {
    rect: { x: number; width: number };
    labelRect: { x: number; y: number; width: number };
  }) => {
    const leftOfPoint = p.labelRect.x + p.labelRect.width <= p.rect.x + p.rect.width / 2;
    return leftOfPoint
      ? {
          ...layout,
          x: p.labelRect.x + p.labelRect.width,
          y: p.labelRect.y,
          align: 'right',
          verticalAlign: 'top',
        }
      : { ...layout, x: p.labelRect.x, y: p.labelRect.y, align: 'left', verticalAlign: 'top' };
  };
}

/** Renders the option to an SVG string; the instance is always disposed (it would keep the process alive). */
export function renderMatrixSvg(
  option: MatrixOption,
  lang: Lang,
  size = { width: SVG_WIDTH, height: SVG_HEIGHT },
): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption(forServer(option, lang) as echarts.EChartsOption);
    return presentationAttributes(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts writes text styles as `style="…"` attributes and a `<style>` block of hover rules. The page
 * embeds this SVG inline under a CSP without 'unsafe-inline' styles, so the styles become SVG
 * presentation attributes (which CSP allows) and the hover rules, useless in a static picture, go.
 * Text content never holds a raw quote (ECharts escapes it), so the pattern only meets attributes.
 */
export function presentationAttributes(svg: string): string {
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, css: string) =>
      css
        .split(';')
        .map((decl) => decl.trim())
        .filter(Boolean)
        .map((decl) => {
          const i = decl.indexOf(':');
          const prop = decl.slice(0, i).trim();
          const value = decl.slice(i + 1).trim();
          return i > 0 && /^[a-z-]+$/.test(prop)
            ? ` ${prop}="${value.replace(/"/g, '&quot;')}"`
            : '';
        })
        .join(''),
    );
}

/** PNG of the SVG at `width` pixels, off the event loop; fonts come only from the bundled files. */
export async function renderMatrixPng(svg: string, lang: Lang, width: number): Promise<Buffer> {
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: {
      fontFiles: cjkFontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: serverFontFamilies(lang)[0],
    },
    logLevel: 'off',
  });
  return image.asPng();
}
