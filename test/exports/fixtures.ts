import type { Express } from 'express';
import request from 'supertest';
import { addIro } from '../../src/assessments/services/iro.service';
import { linkRef } from '../../src/invitations/link.service';
import { apiClient } from '../helpers/api';

export const TOPICS = [
  {
    code: 'CLIM',
    name: { en: 'Climate change', 'zh-Hant': '氣候變化', 'zh-Hans': '气候变化' },
    category: 'E',
  },
  { code: 'INJ1', name: { en: '=HYPERLINK("x")' }, category: 'S' },
  { code: 'INJ2', name: { en: '+1', 'zh-Hant': '+1' }, category: 'G' },
  {
    code: 'WATER',
    name: { en: 'Water, "quoted"\nand a new line', 'zh-Hant': '水資源', 'zh-Hans': '水资源' },
    category: 'E',
  },
] as const;

/**
 * An open assessment with three groups: A (impact, 7 responses, one of them through a personal link),
 * B (impact, 2 responses: below minReportN = 5, so suppressed) and M (financial, 6 responses).
 */
export async function exportFixture(app: Express) {
  const api = await apiClient(app, 'analyst');
  const id = (await api.post('/api/v1/assessments', { name: 'Exports 測試', reportingYear: 2025 }))
    .body.id as string;
  for (const t of TOPICS)
    expect((await api.post(`/api/v1/assessments/${id}/topics`, t)).status).toBe(201);
  const groups = [
    ['A', { en: 'Customers', 'zh-Hant': '客戶', 'zh-Hans': '客户' }, ['impact']],
    ['B', { en: 'Board' }, ['impact']],
    ['M', { en: 'Managers' }, ['financial']],
  ] as const;
  for (const [code, name, instruments] of groups) {
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/groups`, {
          code,
          name,
          kind: code === 'A' ? 'external' : 'internal',
          weight: 1,
          instruments,
        })
      ).status,
    ).toBe(201);
  }
  await addIro(api.user, id, {
    topic: 'CLIM',
    type: 'risk',
    actuality: 'potential',
    stage: 'own-operations',
    horizon: 'medium',
    description: '=cmd|" /C calc"!A0',
  });
  await addIro(api.user, id, {
    topic: 'WATER',
    type: 'impact-negative',
    actuality: 'actual',
    stage: 'upstream',
    horizon: 'short',
    description: '供應鏈用水',
  });
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const link = async (group: string, kind: 'open' | 'personal' = 'open') =>
    (await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind, count: 1 })).body[0]
      .token as string;
  const open = { A: await link('A'), B: await link('B'), M: await link('M') };
  const personal = await link('A', 'personal');

  const submit = async (token: string, answers: object[], durationMs = 90_000) => {
    const res = await request(app)
      .post(`/api/v1/survey/${token}`)
      .set('User-Agent', 'Mozilla/5.0 (iPhone; Mobile)')
      .send({ answers, durationMs, locale: 'zh-Hant' });
    expect(res.status).toBe(201);
  };
  const impact = (v: (i: number) => number | null) =>
    TOPICS.map((t, i) => ({ instrument: 'impact', topic: t.code, significance: v(i) }));
  const financial = (m: number, l: number | null) =>
    TOPICS.map((t) => ({ instrument: 'financial', topic: t.code, magnitude: m, likelihood: l }));
  for (let r = 0; r < 6; r++)
    await submit(
      open.A,
      impact((i) => (i === 3 && r === 0 ? null : ((r + i) % 5) + 1)),
    );
  await submit(
    personal,
    impact(() => 5),
  );
  for (const v of [1, 2])
    await submit(
      open.B,
      impact(() => v),
    );
  for (let r = 0; r < 6; r++) await submit(open.M, financial((r % 5) + 1, r === 5 ? null : 3));
  return {
    api,
    id,
    personal,
    personalRef: linkRef(personal),
    openTokens: Object.values(open),
    responses: 15,
  };
}
