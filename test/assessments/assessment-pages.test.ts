import mongoose from 'mongoose';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { createThroughPage, staff, text } from './pages.helpers';

useTestDb();
const app = makeApp();

const stored = (id: string) =>
  mongoose.connection.collection('assessments').findOne({ _id: id as never });

describe('translations', () => {
  it.each(['en', 'zh-Hant', 'zh-Hans'])(
    'renders every set-up page in %s without raw message keys',
    async (lang) => {
      const s = await staff(app);
      const id = await createThroughPage(s, 'xiaomi-2024');
      await s.form(`/assessments/${id}/invitations`, { kind: 'open', group: 'users' });
      const pages = [
        '/assessments',
        `/assessments/${id}`,
        `/assessments/${id}/status?to=open`,
        `/assessments/${id}/topics`,
        `/assessments/${id}/topics/climate`,
        `/assessments/${id}/topics/climate/remove`,
        `/assessments/${id}/groups`,
        `/assessments/${id}/groups/users`,
        `/assessments/${id}/groups/users/remove`,
        `/assessments/${id}/invitations?group=users`,
        `/assessments/${id}/preview?group=users`,
      ];
      for (const path of pages) {
        const res = await s.agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect([path, res.status]).toEqual([path, 200]);
        expect([
          path,
          text(res.text).match(/\b(assess|links|survey|validation|common)\.[a-zA-Z]+/g),
        ]).toEqual([path, null]);
        if (lang === 'zh-Hant') expect(res.text).not.toContain('利益相關方組別');
      }
    },
  );
});

describe('tabs', () => {
  it('links every section of an assessment, the current one marked', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'esrs');
    const page = await s.agent.get(`/assessments/${id}/groups`);
    const nav = /<nav class="tabs"[\s\S]*?<\/nav>/.exec(page.text)?.[0] ?? '';
    expect(nav).toMatch(/aria-current="page">Stakeholder groups</);
    const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    // The set-up, results and settings tabs (features further up may add their own).
    const base = `/assessments/${id}`;
    const core = ['', '/topics', '/groups', '/invitations', '/preview', '/matrix', '/rankings'];
    expect(hrefs).toEqual(
      expect.arrayContaining([...core, '/exports', '/settings'].map((p) => base + p)),
    );
    for (const href of hrefs) expect([href, (await s.agent.get(href)).status]).toEqual([href, 200]);
  });
});

describe('roles', () => {
  it('lets a viewer read the pages without write forms, and answers 403 to a POST', async () => {
    const owner = await staff(app);
    const id = await createThroughPage(owner, 'hkex');
    const viewer = await staff(app, 'viewer');
    for (const path of [
      '/assessments',
      `/assessments/${id}`,
      `/assessments/${id}/topics`,
      `/assessments/${id}/topics/A1`,
      `/assessments/${id}/groups`,
      `/assessments/${id}/invitations`,
      `/assessments/${id}/preview`,
    ]) {
      const res = await viewer.agent.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.text).not.toMatch(/method="post" action="\/assessments/);
    }
    const post = await viewer.form(`/assessments/${id}/topics`, {
      code: 'x1',
      'name.en': 'X',
      category: 'E',
      'impactProfile.nature': 'negative',
      'impactProfile.occurrence': 'actual',
    });
    expect(post.status).toBe(403);
    expect((await stored(id))?.topics).toHaveLength(12);
    expect((await viewer.form(`/assessments/${id}/status`, { status: 'open' })).status).toBe(403);
  });

  it('answers 404 for an unknown assessment', async () => {
    const s = await staff(app);
    expect((await s.agent.get('/assessments/0123456789abcdef01234567')).status).toBe(404);
    expect((await s.agent.get('/assessments/nope/topics')).status).toBe(404);
  });
});
