import { jobsSettled } from '../../src/analytics/job';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { loggedInAgent, makeApp, tokenFor } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { seedFlagged } from './fixture';

useTestDb();
const app = makeApp();

let id: string;
beforeAll(async () => {
  forgetSpeederReferences();
  ({ id } = await seedFlagged(app));
});

describe('the Analytics tab', () => {
  it('shows a progress bar that refreshes itself, then the tables, in three languages', async () => {
    const { agent } = await loggedInAgent(app, 'analyst');
    const first = await agent.get(`/assessments/${id}/analytics?lang=en`);
    expect(first.status).toBe(200);
    expect(first.text).toContain('<progress');
    expect(first.text).toContain('http-equiv="refresh"');
    await jobsSettled();
    const expected = {
      en: [
        'Uncertainty',
        'Agreement between groups',
        "Kendall's W",
        'Leave one group out',
        'Straight-lining',
      ],
      'zh-Hant': ['不確定性', '組別之間的一致性', '逐一剔除組別', '直線作答'],
      'zh-Hans': ['不确定性', '组别之间的一致性', '逐一剔除组别', '直线作答'],
    };
    for (const [lang, texts] of Object.entries(expected)) {
      const page = await agent.get(`/assessments/${id}/analytics?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<progress');
      for (const text of texts) expect(page.text).toContain(text.replace(/'/g, '&#39;'));
      expect(page.text).toContain('<svg');
      expect(page.text).toMatch(/<table>\s*<caption>/);
      expect(page.text).toContain('aria-current="page">' + (lang === 'en' ? 'Analytics' : '分析'));
    }
  });

  it('lets an analyst exclude a flag class from the page (CSRF form, 303)', async () => {
    const { agent } = await loggedInAgent(app, 'analyst');
    const csrf = await tokenFor(agent, `/assessments/${id}/analytics?lang=en`);
    const posted = await agent
      .post(`/assessments/${id}/exclusions`)
      .type('form')
      .send({ _csrf: csrf, exclude: 'speeder' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`/assessments/${id}/analytics?saved=1#quality`);
    const page = await agent.get(`/assessments/${id}/analytics?lang=en&saved=1`);
    expect(page.text).toContain('Left out of the scores now: Speeders');
    expect(page.text).toMatch(/value="speeder" checked/);
  });

  it('shows no exclusion form to a viewer, who cannot post one either', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const page = await agent.get(`/assessments/${id}/analytics?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`action="/assessments/${id}/exclusions"`);
    const csrf = await tokenFor(agent, `/assessments/${id}/analytics?lang=en`);
    const posted = await agent
      .post(`/assessments/${id}/exclusions`)
      .type('form')
      .send({ _csrf: csrf, exclude: 'speeder' });
    expect(posted.status).toBe(403);
  });
});

describe('the matrix', () => {
  it('draws whiskers from the cached analytics', async () => {
    const { agent } = await loggedInAgent(app, 'analyst');
    // the analytics of the current data are cached by the tests above (exclusions changed them:
    // compute again first)
    await agent.get(`/assessments/${id}/analytics?lang=en`);
    await jobsSettled();
    const text = async (q: string) => {
      const res = await agent.get(`/assessments/${id}/matrix.svg?lang=en${q}`).buffer(true);
      expect(res.status).toBe(200);
      return Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
    };
    const on = await text('');
    const off = await text('&whiskers=0');
    expect(on).toContain('<svg');
    expect(on.length).toBeGreaterThan(off.length + 200);
  });
});
