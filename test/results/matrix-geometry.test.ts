import { buildProgram, type WithDb } from '../../src/cli/index';
import { loadAssessment } from '../../src/assessments/services/assessment.store';
import type { Assessment } from '../../src/assessments/model/assessment.types';
import {
  buildMatrixChart,
  type MatrixChart,
  type MatrixOptions,
} from '../../src/results/matrix-chart';
import { overlaps, type Box } from '../../src/results/matrix-geometry';
import { renderMatrixSvg } from '../../src/results/matrix-render';
import { getResults, type Results } from '../../src/results/results.service';
import { computeTopicResults, resolveSettings } from '../../src/scoring';
import type { Lang } from '../../src/shared/i18n';
import { useTestDb } from '../helpers/db';
import { readSvg } from './matrix-svg';

// The matrix as printed: the server SVG is parsed back, each text's box computed with the bundled
// fonts' metrics, and the rules of issue 20 §1 are checked on it.

useTestDb();
const viewer = { id: 'v', email: 'v@example.com', role: 'viewer' as const };
const LANGS: Lang[] = ['en', 'zh-Hant', 'zh-Hans'];

let demo: { results: Results; assessment: Assessment };

beforeAll(async () => {
  let out = '';
  const withDb: WithDb = (fn) => fn();
  const io = { out: (s: string) => ((out += s), true), err: () => true };
  await buildProgram(withDb, io).parseAsync(['demo:seed', '--responses', '2000'], { from: 'user' });
  const assessment = await loadAssessment(out.trim());
  demo = { assessment, results: await getResults(viewer, assessment) };
}, 120_000);

const TOL = 0.5;
const shrink = (b: Box, by = TOL): Box => ({
  x: b.x + by,
  y: b.y + by,
  w: b.w - 2 * by,
  h: b.h - 2 * by,
});
const within = (b: Box, f: Box) =>
  b.x >= f.x - TOL &&
  b.y >= f.y - TOL &&
  b.x + b.w <= f.x + f.w + TOL &&
  b.y + b.h <= f.y + f.h + TOL;
const spans = (lo: number, len: number, at: number) => lo + TOL < at && at < lo + len - TOL;
const union = (bs: Box[]): Box => {
  const x = Math.min(...bs.map((b) => b.x));
  const y = Math.min(...bs.map((b) => b.y));
  return {
    x,
    y,
    w: Math.max(...bs.map((b) => b.x + b.w)) - x,
    h: Math.max(...bs.map((b) => b.y + b.h)) - y,
  };
};
const distToBox = (x: number, y: number, b: Box) =>
  Math.hypot(x - Math.max(b.x, Math.min(x, b.x + b.w)), y - Math.max(b.y, Math.min(y, b.y + b.h)));

/** Every rule of the issue, on the SVG of `chart`. */
function assertReadable(chart: MatrixChart, lang: Lang) {
  const svg = renderMatrixSvg(chart.option, lang);
  const { texts, markers, lines } = readSvg(svg, lang);
  const grid = chart.option.grid as { left: number; top: number; width: number; height: number };
  const frame: Box = { x: grid.left, y: grid.top, w: grid.width, h: grid.height };
  const dashed = lines.filter((l) => l.dashed);
  const vx = dashed.find((l) => Math.abs(l.x1 - l.x2) < 0.01)!.x1;
  const hy = dashed.find((l) => Math.abs(l.y1 - l.y2) < 0.01)!.y1;
  expect([vx, hy].every(Number.isFinite)).toBe(true);
  const numbered = chart.labelMode === 'numbered';
  const markerBox = (m: { cx: number; cy: number; r: number }): Box => ({
    x: m.cx - m.r,
    y: m.cy - m.r,
    w: 2 * m.r,
    h: 2 * m.r,
  });

  // 1. No two texts overlap; no text overlaps a marker (a number may sit inside its own marker).
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++)
      if (overlaps(shrink(texts[i]!.box), shrink(texts[j]!.box)))
        throw new Error(`"${texts[i]!.text}" overlaps "${texts[j]!.text}"`);
  for (const t of texts)
    for (const m of markers) {
      const mb = markerBox(m);
      if (numbered && within(t.box, mb) && /^\d+$/.test(t.text)) continue;
      if (overlaps(shrink(t.box), mb)) throw new Error(`"${t.text}" overlaps a marker`);
    }
  // 2. Every text is wholly inside the plot frame or wholly outside it; none inside crosses a threshold.
  for (const t of texts) {
    if (within(t.box, frame)) {
      if (spans(t.box.x, t.box.w, vx) || spans(t.box.y, t.box.h, hy))
        throw new Error(`"${t.text}" crosses a threshold line`);
    } else if (overlaps(shrink(t.box), frame)) throw new Error(`"${t.text}" crosses the frame`);
  }
  // 3. Each topic label sits in its marker's quadrant, and one away from it has a leader line.
  const plotted = chart.option.series.flatMap((s, si) => s.data.map((d, di) => ({ d, si, di })));
  const layout = chart.plot!;
  for (const label of layout.labels) {
    const p = plotted.find((x) => x.d.code === label.id)!;
    const m = markers.find((x) => x.series === p.si && x.index === p.di)!;
    expect(m).toBeDefined();
    const boxes = label.lines.map((l) => {
      const found = texts.filter((t) => t.text === l && distToBox(t.box.x, t.box.y, label.box) < 2);
      expect(found.length).toBeGreaterThan(0);
      return found[0]!.box;
    });
    const box = union(boxes);
    expect(box.x + box.w / 2 > vx).toBe(m.cx >= vx);
    expect(box.y + box.h / 2 < hy).toBe(m.cy <= hy);
    const away = distToBox(m.cx, m.cy, box) - m.r;
    if (away > 9) {
      const leader = lines.find(
        (l) =>
          !l.dashed &&
          ((Math.hypot(l.x1 - m.cx, l.y1 - m.cy) <= m.r + 3 && distToBox(l.x2, l.y2, box) < 2) ||
            (Math.hypot(l.x2 - m.cx, l.y2 - m.cy) <= m.r + 3 && distToBox(l.x1, l.y1, box) < 2)),
      );
      if (!leader)
        throw new Error(`label of ${label.id} is ${away.toFixed(1)} px away without a leader`);
    }
  }
  expect(layout.unlabelled).toEqual([]);
  return { svg, texts };
}

describe('matrix geometry (server SVG read back with the fonts)', () => {
  it.each(LANGS)('18-topic demo (2,000 responses), names, in %s', (lang) => {
    const chart = buildMatrixChart(demo.results, demo.assessment, lang, { labels: 'names' });
    expect(chart.plotted).toBe(18);
    assertReadable(chart, lang);
    // Every name fits: no topic falls back to its number.
    expect(chart.plot!.numbered).toEqual([]);
  });

  it.each(LANGS)('18-topic demo, numbered markers and key, fitted range, in %s', (lang) => {
    const chart = buildMatrixChart(demo.results, demo.assessment, lang, {
      labels: 'numbered',
      range: 'fit',
    });
    const { texts } = assertReadable(chart, lang);
    // The key lists every topic once, with its number.
    for (const r of chart.rows) expect(texts.some((t) => t.text === String(r.rank))).toBe(true);
  });

  it.each(LANGS)('18-topic demo, large labels (16 px), in %s', (lang) => {
    const chart = buildMatrixChart(demo.results, demo.assessment, lang, {
      labels: 'names',
      labelSize: 16,
    });
    assertReadable(chart, lang);
  });

  it.each(LANGS)('30 topics within one quadrant, in %s', (lang) => {
    const { results, assessment } = dense(30);
    const options: MatrixOptions = { labels: 'names' };
    const chart = buildMatrixChart(results, assessment, lang, options);
    expect(chart.plotted).toBe(30);
    assertReadable(chart, lang);
  });
});

describe('ranked dot chart of a one-questionnaire group (server SVG read back)', () => {
  it.each(LANGS)(
    'no text overlaps another or a dot, names left of the plot, in %s',
    async (lang) => {
      const group = demo.assessment.groups.find(
        (g) => g.instruments.length === 1 && g.instruments[0] === 'impact',
      )!;
      const results = await getResults(viewer, demo.assessment, { group: group.code });
      const chart = buildMatrixChart(results, demo.assessment, lang, {
        labels: 'names',
        group: group.code,
      });
      expect(chart.kind).toBe('dots');
      expect(chart.plotted).toBe(18);
      const { texts, markers } = readSvg(renderMatrixSvg(chart.option, lang), lang);
      const grid = chart.option.grid as {
        left: number;
        top: number;
        width: number;
        height: number;
      };
      for (let i = 0; i < texts.length; i++)
        for (let j = i + 1; j < texts.length; j++)
          if (overlaps(shrink(texts[i]!.box), shrink(texts[j]!.box)))
            throw new Error(`"${texts[i]!.text}" overlaps "${texts[j]!.text}"`);
      for (const t of texts)
        for (const m of markers)
          expect(
            overlaps(shrink(t.box), { x: m.cx - m.r, y: m.cy - m.r, w: 2 * m.r, h: 2 * m.r }),
          ).toBe(false);
      expect(markers).toHaveLength(18);
      // One dot per row, best first: y grows as the score falls.
      const byY = [...markers].sort((a, b) => a.cy - b.cy);
      const xs = byY.map((m) => m.cx);
      expect(xs).toEqual([...xs].sort((a, b) => b - a));
      expect(byY.every((m) => m.cy > grid.top && m.cy < grid.top + grid.height)).toBe(true);
    },
  );
});

/** 30 topics, all double material, scattered in the upper-right quadrant (a fixed pseudo-random walk). */
function dense(count: number) {
  const topics = demo.assessment.topics;
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const list = Array.from({ length: count }, (_, i) => {
    const base = topics[i % topics.length]!;
    return {
      code: `T${i + 1}`,
      name:
        i < topics.length
          ? base.name
          : {
              en: `${base.name.en} (site ${i})`,
              'zh-Hant': `${base.name['zh-Hant']}（廠區 ${i}）`,
              'zh-Hans': `${base.name['zh-Hans']}（厂区 ${i}）`,
            },
      category: base.category,
    };
  });
  const tally = (v: number) => ({ n: 20, sum: v * 20, sumSq: v * v * 20, dontKnow: 0 });
  const settings = resolveSettings({ ...demo.assessment.settings, weights: {} });
  const computed = computeTopicResults({
    topics: list,
    groups: [{ code: 'A', instruments: ['impact', 'financial'] }],
    tallies: Object.fromEntries(
      list.map((t) => [
        t.code,
        { impact: { A: tally(3.2 + rand() * 1.6) }, financial: { A: tally(3.2 + rand() * 1.6) } },
      ]),
    ),
    settings,
  });
  const assessment = {
    ...demo.assessment,
    topics: list,
    groups: [
      {
        code: 'A',
        name: { en: 'All' },
        kind: 'internal' as const,
        weight: 1,
        instruments: ['impact', 'financial'] as ('impact' | 'financial')[],
        targetResponses: 0,
      },
    ],
  };
  return {
    results: {
      topics: computed,
      settings: { ...demo.assessment.settings, weights: { A: 1 } },
      group: null,
    },
    assessment,
  };
}
