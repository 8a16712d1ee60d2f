import request from 'supertest';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { staff } from '../assessments/pages.helpers';
import { closedAssessment, decideAll, REASON, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

interface T {
  code: string;
  rank: number;
  impact: { score: number | null };
  financial: { score: number | null };
}

it('the appendix in each language holds the numbers of the results JSON, the override and the sign-off', async () => {
  const { id, api } = await closedAssessment(app, { topics: ['t1', 't2', 't3'] });
  await request(app)
    .put(`/api/v1/assessments/${id}/overrides/t3`)
    .set({ Authorization: `Bearer ${api.token}` })
    .send({ material: true, rationale: REASON });
  await decideAll(app, api.token, id);
  const approver = await apiClient(app, 'approver');
  expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
  const results = (await api.get(`/api/v1/assessments/${id}/results`)).body;
  const heads = { en: 'Method appendix', 'zh-Hant': '方法附錄', 'zh-Hans': '方法附录' };
  for (const [lang, head] of Object.entries(heads)) {
    const r = await api.get(`/api/v1/assessments/${id}/appendix?lang=${lang}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toContain(head);
    expect(r.text).toContain(`lang="${lang}"`);
    for (const t of results.topics as T[]) {
      const row = new RegExp(`<tr data-topic="${t.code}"><td>${t.rank}</td>[\\s\\S]*?</tr>`).exec(
        r.text,
      )?.[0];
      expect(row).toBeTruthy();
      for (const v of [t.impact.score, t.financial.score]) {
        expect(row).toContain(`data-value="${v ?? ''}"`);
        if (v !== null) expect(row).toContain(`>${v.toFixed(2)}<`);
      }
    }
    expect(r.text).toContain(REASON);
    expect(r.text).toContain(SIGN.body);
    expect(r.text).toContain(SIGN.minutesRef);
    expect(r.text).toContain('dma-v1');
    expect(r.text).toContain('ESRS 2 IRO-1');
    expect(r.text).toContain('GRI 3-2');
  }
  const viewer = await staff(app, 'viewer');
  const page = await viewer.agent.get(`/assessments/${id}/appendix?lang=zh-Hant`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('方法附錄');
  expect(page.text).toContain(`已於 ${SIGN.meetingDate} 由${SIGN.body}審批`);
});
