import zlib from 'node:zlib';
import * as echarts from 'echarts';
import { renderAsync } from '@resvg/resvg-js';
import type { Lang } from '../shared/i18n';
import type { MatrixOption } from './matrix-chart';
import { cjkFontFiles, serverFontFamilies } from './matrix-text';

/** The default size of an option without its own (`chartSize`). */
export const SVG_WIDTH = 1000;
export const SVG_HEIGHT = 750;

export { cjkFontFiles, serverFontFamilies } from './matrix-text';

/** A4's width (210 mm) at 300 dpi: the PNG's default width, print quality in a report. */
export const PRINT_WIDTH = 2480;
const PRINT_DPI = 300;

/**
 * The bundled fonts named first in the SVG, so resvg renders Chinese with the fonts the layout
 * measured and a browser opening the file still falls back to its own.
 */
function forServer(option: MatrixOption, lang: Lang): MatrixOption {
  const web = (option.textStyle as { fontFamily?: string } | undefined)?.fontFamily ?? 'sans-serif';
  const fontFamily = [...serverFontFamilies(lang).map((f) => `'${f}'`), web].join(', ');
  const elements = option.graphic.elements.map((e) =>
    e.type === 'text' ? { ...e, style: { ...(e.style as object), fontFamily } } : e,
  );
  return {
    ...option,
    textStyle: { ...(option.textStyle as object), fontFamily },
    graphic: { elements },
  };
}

/** Renders the option to an SVG string; the instance is always disposed (it would keep the process alive). */
export function renderMatrixSvg(
  option: MatrixOption,
  lang: Lang,
  size = option.chartSize ?? { width: SVG_WIDTH, height: SVG_HEIGHT },
): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    const { chartSize: _size, ...echartsOption } = forServer(option, lang);
    void _size;
    chart.setOption(echartsOption as echarts.EChartsOption);
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
  return withDpi(image.asPng(), PRINT_DPI);
}

/**
 * Adds a pHYs chunk (pixels per metre) after IHDR, so a word processor places the picture at
 * print size (2480 px = 210 mm) instead of at 72 or 96 dpi.
 */
export function withDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(ppm, 0);
  data.writeUInt32BE(ppm, 4);
  data.writeUInt8(1, 8); // unit: metre
  const type = Buffer.from('pHYs', 'ascii');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(Buffer.concat([type, data])) >>> 0, 8 + data.length);
  const ihdrEnd = 8 + 8 + 13 + 4; // signature, IHDR length+type, IHDR data, CRC
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}
