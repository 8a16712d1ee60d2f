import zlib from 'node:zlib';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { loggedInAgent, makeApp } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { pngSize, seedAssessment } from './results-fixtures';

useTestDb();

const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

let id: string;
let blankId: string;
let analyst: Awaited<ReturnType<typeof loggedInAgent>>['agent'];

beforeAll(async () => {
  ({ id } = await seedAssessment(app, {
    extraTopics: [
      { code: 'XSS', name: { en: 'Risk </script><script>alert(1)</script> & <b>' }, category: 'G' },
    ],
  }));
  ({ id: blankId } = await seedAssessment(app, { respond: false }));
  ({ agent: analyst } = await loggedInAgent(app, 'analyst'));
});

/** The option the page hands to matrix.js. */
function specOf(html: string) {
  const m = /<script type="application\/json" id="matrix-spec">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no matrix spec in page');
  return JSON.parse(m[1] ?? '') as {
    series: {
      id: string;
      data: { code: string; name: string }[];
      markLine?: { data: { xAxis?: number; yAxis?: number }[] };
    }[];
  };
}

describe('matrix page', () => {
  it('shows the chart as SVG, the JSON spec, downloads and a data table of every topic', async () => {
    const res = await analyst.get(`/assessments/${id}/matrix?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const spec = specOf(res.text);
    const plotted = spec.series.flatMap((s) => s.data.map((d) => d.code)).sort();
    expect(plotted).toEqual(['CLIMATE', 'ETHICS', 'LABOUR', 'XSS']);
    expect(spec.series.find((s) => s.id === 'markup')!.markLine!.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ xAxis: 3 }),
        expect.objectContaining({ yAxis: 3 }),
      ]),
    );
    expect(res.text).toMatch(/<div id="matrix-chart"[^>]*><svg /);
    expect(res.text).toContain(`/assessments/${id}/matrix.svg?lang=en`);
    expect(res.text).toContain(`/assessments/${id}/matrix.png?lang=en`);
    expect(res.text).toMatch(/\/static\/vendor\/echarts-matrix\.js\?v=[0-9a-f]{12}/);
    expect(res.text).toContain('/static/js/matrix.js');
    // WATER has no score on either axis: not plotted, listed, and still in the data table.
    expect(res.text).toMatch(/Not plotted[\s\S]*Water stewardship/);
    expect(res.text).toMatch(/<th scope="row">Water stewardship<\/th>/);
    expect(res.text).toMatch(
      /<th scope="row">Climate change<\/th>\s*<td><span class="badge E">E<\/span> Environmental<\/td>\s*<td class="num">4.50<\/td>/,
    );
  });

  it('keeps user text inert: the JSON block cannot be closed early and the SVG is escaped', async () => {
    const res = await analyst.get(`/assessments/${id}/matrix`);
    expect(res.text).not.toContain('</script><script>alert(1)');
    expect(res.text).not.toContain('<b>');
    expect(
      specOf(res.text)
        .series.flatMap((s) => s.data)
        .find((d) => d.code === 'XSS')!.name,
    ).toBe('Risk </script><script>alert(1)</script> & <b>');
  });

  it('filters to one stakeholder group with ?group= and hides axes with too few responses there', async () => {
    const a = await analyst.get(`/assessments/${id}/matrix?group=A&lang=en`);
    expect(a.status).toBe(200);
    expect(a.text).toContain('Stakeholder group: Employees');
    expect(a.text).toMatch(/<option value="A" selected>/);
    const plotted = specOf(a.text).series.flatMap((s) => s.data);
    expect(plotted.find((d) => d.code === 'CLIMATE')).toMatchObject({
      impact: 5,
      impactN: 5,
      financial: null,
    });
    // B has 2 responses (< minReportN 5): its figures are not shown.
    const b = await analyst.get(`/assessments/${id}/matrix?group=B&lang=en`);
    expect(b.status).toBe(200);
    expect(specOf(b.text).series.flatMap((s) => s.data)).toEqual([]);
    expect(b.text).toContain('fewer than 5');
    expect((await analyst.get(`/assessments/${id}/matrix?group=nope`)).status).toBe(404);
  });

  it('speaks the chosen language and turns labels off with labels=0', async () => {
    const res = await analyst.get(`/assessments/${id}/matrix?lang=zh-Hant&labels=0`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('重要性矩陣');
    const spec = specOf(res.text) as unknown as {
      series: { id: string; data: { name: string }[] }[];
      graphic: { elements: { type: string; style?: { text?: string } }[] };
    };
    const cats = spec.series.filter((s) => s.id.startsWith('category-'));
    expect(cats.flatMap((s) => s.data.map((d) => d.name))).toContain('氣候變化');
    // No topic names drawn on the chart (they stay in the tooltips and the table).
    const drawn = spec.graphic.elements.map((e) => e.style?.text ?? '');
    expect(drawn).not.toContain('氣候變化');
    expect(drawn).toContain('雙重重要性');
    expect(res.text).toMatch(/<option value="none" selected>/);
    expect(res.text).toContain('matrix.svg?lang=zh-Hant&amp;labels=none');
  });

  it('asks for a login without a session, and 404s an unknown assessment', async () => {
    expect((await request(app).get(`/assessments/${id}/matrix`)).status).toBe(303);
    expect((await analyst.get('/assessments/0123456789abcdef01234567/matrix')).status).toBe(404);
  });

  it('serves only the parts of echarts it uses, compressed, from our own origin with cache headers', async () => {
    const page = await analyst.get(`/assessments/${id}/matrix?lang=en`);
    const url = /src="(\/static\/vendor\/echarts-matrix\.js\?v=[0-9a-f]+)"/.exec(page.text)![1]!;
    const res = await analyst.get(url).set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    // What goes over the wire (compression's default gzip level); README states the figure.
    expect(zlib.gzipSync(res.text).length).toBeLessThan(200 * 1024);
    const plain = await analyst.get(url).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toContain('echarts');
    expect(plain.text.length).toBeLessThan(600 * 1024);
  });
});

describe('matrix.svg', () => {
  it('is image/svg+xml with the topic names, the threshold lines and a download name', async () => {
    const res = await analyst.get(`/assessments/${id}/matrix.svg?lang=en`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?materiality-matrix-2025-all-en\.svg"?$/,
    );
    const svg = res.body.toString('utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg /);
    for (const name of ['Climate change', 'Labour practices', 'Business ethics'])
      expect(svg).toContain(name);
    expect(svg).toContain('Risk &lt;/script&gt;');
    expect(svg).not.toContain('<script');
    // Both threshold lines (dashed) with their labels.
    expect(svg.match(/<path [^>]*stroke-dasharray/g)!.length).toBeGreaterThanOrEqual(2);
    expect(svg.match(/Threshold 3\.00/g)).toHaveLength(2);
  });

  it('takes ?lang=, ?group= and ?labels=0', async () => {
    const zh = (
      await analyst.get(`/assessments/${id}/matrix.svg?lang=zh-Hans&group=A`).buffer(true)
    ).body.toString('utf8');
    expect(zh).toContain('气候变化');
    expect(zh).toContain('利益相关方组别：员工');
    const res = await analyst.get(`/assessments/${id}/matrix.svg?labels=0&lang=en`).buffer(true);
    expect(res.body.toString('utf8')).not.toContain('Climate change');
    const named = await analyst.get(`/assessments/${id}/matrix.svg?lang=zh-Hant&group=A`);
    expect(named.headers['content-disposition']).toMatch(
      /^attachment; filename="?materiality-matrix-2025-A-zh-Hant\.svg"?$/,
    );
  });
});

describe('matrix.png', () => {
  it('is a PNG of the requested width (2480 by default: A4 at 300 dpi, declared in pHYs)', async () => {
    const def = await analyst.get(`/assessments/${id}/matrix.png?lang=en`).buffer(true);
    expect(def.status).toBe(200);
    expect(def.headers['content-type']).toBe('image/png');
    expect(def.headers['content-disposition']).toMatch(
      /^attachment; filename="?materiality-matrix-2025-all-en\.png"?$/,
    );
    expect(pngSize(def.body).width).toBe(2480);
    const phys = def.body.indexOf('pHYs');
    expect(phys).toBeGreaterThan(0);
    expect(def.body.readUInt32BE(phys + 4)).toBe(11811); // px per metre = 300 dpi
    expect(def.body.readUInt8(phys + 12)).toBe(1);
    const small = await analyst.get(`/assessments/${id}/matrix.png?width=800`).buffer(true);
    expect(pngSize(small.body).width).toBe(800);
    expect((await analyst.get(`/assessments/${id}/matrix.png?width=abc`)).status).toBe(422);
    expect((await analyst.get(`/assessments/${id}/matrix.png?width=99999`)).status).toBe(422);
  });

  it('renders Chinese labels with the bundled fonts', async () => {
    const get = async (path: string) => (await analyst.get(path).buffer(true)).body as Buffer;
    const zh = await get(`/assessments/${id}/matrix.png?lang=zh-Hant&width=1000`);
    const zhNoLabels = await get(`/assessments/${id}/matrix.png?lang=zh-Hant&width=1000&labels=0`);
    expect(pngSize(zh).width).toBe(1000);
    // Glyphs are drawn (resvg draws nothing for text it has no font for): the topic names add ink.
    expect(zh.length).toBeGreaterThan(zhNoLabels.length + 2000);
  });
});

describe('matrix modes and honest small numbers', () => {
  it('exports numbered markers with a key, a fitted range and a label size by query', async () => {
    const res = await analyst.get(
      `/assessments/${id}/matrix.svg?lang=en&labels=numbered&range=fit&labelSize=14`,
    );
    expect(res.status).toBe(200);
    const svg = res.body.toString('utf8');
    expect(svg).toMatch(/<text[^>]*>Key<\/text>/);
    expect(svg).toMatch(/<text[^>]*font-size="14px"[^>]*>1<\/text>/);
    expect(svg).toMatch(/<text[^>]*>Climate change<\/text>/);
    expect((await analyst.get(`/assessments/${id}/matrix.svg?labelSize=40`)).status).toBe(422);
    expect((await analyst.get(`/assessments/${id}/matrix.svg?range=wide`)).status).toBe(422);
    const page = await analyst.get(`/assessments/${id}/matrix?lang=en&labels=numbered&range=fit`);
    expect(page.text).toMatch(/<option value="numbered" selected>/);
    expect(page.text).toMatch(/<option value="fit" selected>/);
    expect(page.text).toContain('matrix.png?lang=en&amp;labels=numbered&amp;range=fit');
  });

  it('lists what a group was not asked or has too few responses for, and reads "no responses" when empty', async () => {
    const b = await analyst.get(`/assessments/${id}/matrix?group=B&lang=en`);
    expect(b.text).toMatch(
      /Climate change <span class="muted">\(CLIMATE\)<\/span>: Impact materiality: fewer than 5 responses/,
    );
    const blank = await analyst.get(`/assessments/${blankId}/matrix.svg?lang=zh-Hant`);
    const svg = blank.body.toString('utf8');
    expect(svg).toContain('沒有回覆');
    expect(svg).not.toContain('少於 5');
  });
});

describe('matrix API', () => {
  it('serves matrix.svg and matrix.png with a bearer token, 401 without', async () => {
    const api = await apiClient(app, 'viewer');
    const svg = await api.get(`/api/v1/assessments/${id}/matrix.svg?lang=zh-Hant`).buffer(true);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body.toString('utf8')).toContain('氣候變化');
    const png = await api.get(`/api/v1/assessments/${id}/matrix.png?width=640`).buffer(true);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(pngSize(png.body).width).toBe(640);
    expect((await request(app).get(`/api/v1/assessments/${id}/matrix.svg`)).status).toBe(401);
    expect((await request(app).get(`/api/v1/assessments/${id}/matrix.png`)).status).toBe(401);
    const missing = await api.get(`/api/v1/assessments/${id}/matrix.svg?group=nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
