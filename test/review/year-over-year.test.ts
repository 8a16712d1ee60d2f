import request from 'supertest';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { staff } from '../assessments/pages.helpers';
import { closedAssessment, decideAll, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

interface T {
  code: string;
  rank: number;
  impact: { score: number | null };
  financial: { score: number | null };
  material: boolean;
  classification: string;
  previous: null | Record<string, unknown>;
  rankChange: number | null;
}

it('two years with a renamed, a merged and a new topic: previous figures, rank change, dropped topics', async () => {
  // Last year: a (rank 1), b (2), c (3), d (4), e (5); signed off, so its snapshot is used.
  const y1 = await closedAssessment(app, { topics: ['a', 'b', 'c', 'd', 'e'], year: 2024 });
  const approver = await apiClient(app, 'approver');
  await decideAll(app, y1.api.token, y1.id);
  expect((await approver.post(`/api/v1/assessments/${y1.id}/signoff`, SIGN)).status).toBe(200);
  const last = (await y1.api.get(`/api/v1/assessments/${y1.id}/results`)).body.topics as T[];
  const lastBy = new Map(last.map((t) => [t.code, t]));

  const copy = await y1.api.post(`/api/v1/assessments/${y1.id}/copy`, {
    name: 'Y2',
    reportingYear: 2025,
  });
  expect(copy.status).toBe(201);
  const y2 = copy.body.id as string;
  // This year: `a` renamed (same code), `bc` merges b and c, `d` and `e` dropped, `n` new.
  const api = y1.api;
  await request(app).patch(`/api/v1/assessments/${y2}`).set(bearer(api.token)).send({ name: 'Y2' });
  const { updateTopic, removeTopic, addTopic } =
    await import('../../src/assessments/services/topic.service');
  await updateTopic(api.user, y2, 'a', { name: { en: 'A renamed' } });
  for (const code of ['b', 'c', 'd', 'e']) await removeTopic(api.user, y2, code);
  await addTopic(api.user, y2, { code: 'n', name: { en: 'New' }, category: 'G' });
  await addTopic(api.user, y2, { code: 'bc', name: { en: 'B and C' }, category: 'E' });
  expect(
    (
      await request(app)
        .put(`/api/v1/assessments/${y2}/topic-map`)
        .set(bearer(api.token))
        .send([{ code: 'bc', previous: ['b', 'c'] }])
    ).status,
  ).toBe(200);
  // Responses: n highest, then bc, then a.
  await api.post(`/api/v1/assessments/${y2}/status`, { status: 'open' });
  const link = async (g: string) =>
    (await api.post(`/api/v1/assessments/${y2}/invitations`, { group: g, kind: 'open' })).body[0]
      .token;
  const A = await link('A');
  const M = await link('M');
  const order = ['n', 'bc', 'a'];
  for (let r = 0; r < 2; r++) {
    expect(
      (
        await request(app)
          .post(`/api/v1/survey/${A}`)
          .send({
            answers: order.map((c, i) => ({ instrument: 'impact', topic: c, significance: 5 - i })),
          })
      ).status,
    ).toBe(201);
    expect(
      (
        await request(app)
          .post(`/api/v1/survey/${M}`)
          .send({
            answers: order.map((c, i) => ({
              instrument: 'financial',
              topic: c,
              magnitude: 5 - i,
              likelihood: 4,
            })),
          })
      ).status,
    ).toBe(201);
  }
  const res = (await api.get(`/api/v1/assessments/${y2}/results`)).body;
  expect(res.previous).toEqual({ assessmentId: y1.id, reportingYear: 2024 });
  const by = new Map((res.topics as T[]).map((t) => [t.code, t]));
  const figures = (t: T) => ({
    rank: t.rank,
    impactScore: t.impact.score,
    financialScore: t.financial.score,
    material: t.material,
    classification: t.classification,
  });
  expect(by.get('a')!.previous).toEqual(figures(lastBy.get('a')!));
  expect(by.get('a')!.rankChange).toBe(lastBy.get('a')!.rank - by.get('a')!.rank);
  // The merge takes the better ranked of b and c (b).
  expect(by.get('bc')!.previous).toEqual(figures(lastBy.get('b')!));
  expect(by.get('bc')!.rankChange).toBe(lastBy.get('b')!.rank - by.get('bc')!.rank);
  expect(by.get('n')!.previous).toBeNull();
  expect(by.get('n')!.rankChange).toBeNull();
  expect(res.droppedTopics).toEqual([
    { code: 'd', name: { en: 'Topic d' }, rank: lastBy.get('d')!.rank },
    { code: 'e', name: { en: 'Topic e' }, rank: lastBy.get('e')!.rank },
  ]);
  // a was 1st and is now 3rd: ▼ 2; bc (b was 2nd) is now 2nd: =; n is new.
  expect(by.get('a')!.rankChange).toBe(-2);
  expect(by.get('bc')!.rankChange).toBe(0);

  const viewer = await staff(app, 'viewer');
  const page = (await viewer.agent.get(`/assessments/${y2}/rankings`)).text;
  expect(page).toContain('data-rank-change="-2">▼ 2<');
  expect(page).toContain('data-rank-change="new">new<');
  expect(page).toContain('data-dropped="d"');
  expect(page).toContain('Topics dropped since 2024');

  // The workbook gains a "Year over year" sheet with last year's figures and the dropped topics.
  const { binary } = await import('../exports/binary');
  const ExcelJS = (await import('exceljs')).default;
  const file = await api
    .get(`/api/v1/assessments/${y2}/export.xlsx?lang=en`)
    .buffer(true)
    .parse(binary);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.body as never);
  const ws = wb.getWorksheet('Year over year 2024')!;
  expect(ws).toBeTruthy();
  const rows = ws
    .getSheetValues()
    .slice(2)
    .map((r) => (r as unknown[]).slice(1));
  const a = rows.find((r) => r[1] === 'a')!;
  expect(a.slice(0, 5)).toEqual([by.get('a')!.rank, 'a', 'A renamed', lastBy.get('a')!.rank, -2]);
  expect(a[6]).toBe(lastBy.get('a')!.impact.score);
  expect(rows.find((r) => r[1] === 'n')![4]).toBe('new');
  expect(rows.find((r) => r[1] === 'd')!.slice(1, 5)).toEqual([
    'd',
    'Topic d',
    lastBy.get('d')!.rank,
    'dropped',
  ]);
});
