import { AnalyticsCache } from '../../src/analytics/analytics.model';
import { jobsSettled } from '../../src/analytics/job';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { seedFlagged, TOPICS } from '../analytics/fixture';
import { apiClient } from '../helpers/api';
import { loggedInAgent, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';

// The rankings page's P(material) column and "uncertain only" filter (issue 18), from the
// cached analytics of the current data: never computed by a rankings read.
useTestDb();
const app = makeApp();

const order = (html: string) => [...html.matchAll(/<tr data-code="([^"]+)"/g)].map((m) => m[1]);
/** Per topic code: the P(material) and rank range written into its cell. */
function cells(html: string) {
  const out = new Map<string, { p: string; range: string | null; uncertain: boolean }>();
  for (const m of html.matchAll(/<tr data-code="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const cell =
      /<td class="num col-pmaterial" data-p-material="([^"]*)"([^>]*)>([\s\S]*?)<\/td>/.exec(
        m[2] ?? '',
      );
    if (!cell) throw new Error(`no P(material) cell for ${m[1]}`);
    out.set(m[1]!, {
      p: cell[1]!,
      range: /data-rank-range="([^"]+)"/.exec(cell[3] ?? '')?.[1] ?? null,
      uncertain: (cell[2] ?? '').includes('data-uncertain="true"'),
    });
  }
  return out;
}

interface TopicJson {
  code: string;
  pMaterial: number;
  uncertain: boolean;
  rankRange90: [number, number];
}

let id: string;
let api: Awaited<ReturnType<typeof apiClient>>;
let agent: Awaited<ReturnType<typeof loggedInAgent>>['agent'];
beforeAll(async () => {
  forgetSpeederReferences();
  ({ id, api } = await seedFlagged(app));
  // The fixture's impact scores are 2.93–3.18 with 95% intervals about ±0.55: at a threshold of
  // 2.6 the top topic is material in nearly every resample, those nearer 2.6 are uncertain.
  const mid = 2.6;
  expect(
    (
      await api.patch(`/api/v1/assessments/${id}`, {
        settings: { thresholds: { impact: mid, financial: 5 }, rule: 'either' },
      })
    ).status,
  ).toBe(200);
  ({ agent } = await loggedInAgent(app, 'analyst'));
});

describe('rankings: P(material) and rank range from the analytics', () => {
  it('says "not computed yet" with a link to the Analytics tab, and starts no job', async () => {
    for (const [lang, text] of [
      ['en', 'not computed yet'],
      ['zh-Hant', '尚未計算'],
      ['zh-Hans', '尚未计算'],
    ] as const) {
      const page = await agent.get(`/assessments/${id}/rankings?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-analytics="missing"');
      expect(page.text).toContain(`href="/assessments/${id}/analytics"`);
      expect(page.text).toContain(text);
      for (const c of cells(page.text).values()) expect(c.p).toBe('');
    }
    expect(await AnalyticsCache.findById(id).lean()).toBeNull();
    // The filter without analytics: no topic is known to be uncertain, and the page says why.
    const filtered = await agent.get(`/assessments/${id}/rankings?uncertain=1&lang=en`);
    expect(filtered.status).toBe(200);
    expect(order(filtered.text)).toEqual([]);
    expect(filtered.text).toContain('data-analytics="missing"');
  });

  it('shows the values of the analytics JSON once computed, in three languages', async () => {
    expect((await api.get(`/api/v1/assessments/${id}/analytics`)).status).toBe(202);
    await jobsSettled();
    const json = await api.get(`/api/v1/assessments/${id}/analytics`);
    expect(json.status).toBe(200);
    const topics = json.body.topics as TopicJson[];
    for (const lang of ['en', 'zh-Hant', 'zh-Hans']) {
      const page = await agent.get(`/assessments/${id}/rankings?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('data-analytics="missing"');
      const shown = cells(page.text);
      expect([...shown.keys()].sort()).toEqual([...TOPICS].sort());
      for (const t of topics) {
        const c = shown.get(t.code)!;
        expect(Number(c.p)).toBe(t.pMaterial);
        expect(c.range).toBe(t.rankRange90.join('-'));
        expect(c.uncertain).toBe(t.uncertain);
      }
    }
    const en = await agent.get(`/assessments/${id}/rankings?lang=en`);
    const first = topics.find((t) => t.rankRange90[0] !== t.rankRange90[1]);
    if (first) expect(en.text).toContain(`rank ${first.rankRange90[0]}–${first.rankRange90[1]}`);
  });

  it('"uncertain only" (a GET parameter) lists exactly the uncertain topics, and keeps the sort', async () => {
    const topics = (await api.get(`/api/v1/assessments/${id}/analytics`)).body
      .topics as TopicJson[];
    const uncertain = topics.filter((t) => t.uncertain).map((t) => t.code);
    expect(uncertain.length).toBeGreaterThan(0);
    expect(uncertain.length).toBeLessThan(TOPICS.length);
    const all = await agent.get(`/assessments/${id}/rankings?lang=en`);
    expect(all.text).toContain(`href="?sort=rank&amp;dir=asc&amp;uncertain=1"`);
    const page = await agent.get(`/assessments/${id}/rankings?uncertain=1&sort=code&dir=asc`);
    expect(page.status).toBe(200);
    expect(order(page.text)).toEqual([...uncertain].sort());
    expect(page.text).toContain(
      `Showing the ${uncertain.length} uncertain topics of ${TOPICS.length}`,
    );
    // Column headings keep the filter; "show all" drops it.
    expect(page.text).toContain('?sort=name&amp;dir=asc&amp;uncertain=1');
    expect(page.text).toContain('href="?sort=code&amp;dir=asc">Show all 5 topics');
  });
});
