import type { Express } from 'express';
import request from 'supertest';
import { apiClient } from '../helpers/api';

export const TOPICS = ['CLIMATE', 'LABOUR', 'ETHICS', 'WATER', 'PRIVACY'];

/** A deterministic pseudo-random rating sequence (no Math.random in tests). */
const rating = (i: number) => 1 + ((i * 7 + 3) % 5);

/**
 * A blank assessment through the API: five topics, group A (impact and financial rating), group B
 * (impact only). 12 ordinary responses per group (100–210 s), then in group A two straight-liners,
 * two speeders (8 s) and one response that is both.
 */
export async function seedFlagged(app: Express) {
  const api = await apiClient(app, 'analyst');
  const id = (await api.post('/api/v1/assessments', { name: 'Quality 2025', reportingYear: 2025 }))
    .body.id as string;
  for (const code of TOPICS)
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/topics`, {
          code,
          name: { en: code },
          category: 'E',
        })
      ).status,
    ).toBe(201);
  await api.patch(`/api/v1/assessments/${id}`, {
    settings: { instruments: { impact: { mode: 'rating' }, financial: { mode: 'rating' } } },
  });
  for (const [code, instruments] of [
    ['A', ['impact', 'financial']],
    ['B', ['impact']],
  ] as const)
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/groups`, {
          code,
          name: { en: `Group ${code}` },
          kind: 'external',
          weight: 1,
          instruments,
        })
      ).status,
    ).toBe(201);
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const link = async (group: string) =>
    (await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind: 'open' })).body[0]
      .token as string;
  const tokens = { A: await link('A'), B: await link('B') };
  let seq = 0;
  const submit = async (
    group: 'A' | 'B',
    value: (topic: number) => number | null,
    durationMs: number,
  ) => {
    const instruments = group === 'A' ? ['impact', 'financial'] : ['impact'];
    const answers = instruments.flatMap((instrument) =>
      TOPICS.map((topic, t) => ({ instrument, topic, significance: value(t) })),
    );
    const r = await request(app)
      .post(`/api/v1/survey/${tokens[group]}`)
      .send({ answers, durationMs });
    expect(r.status).toBe(201);
  };
  for (let i = 0; i < 12; i++) {
    for (const g of ['A', 'B'] as const) {
      const base = seq++;
      await submit(
        g,
        (t) => (t === 3 && i % 4 === 0 ? null : rating(base + t)),
        100_000 + i * 10_000,
      );
    }
  }
  await submit('A', () => 5, 150_000); // straight-lining
  await submit('A', () => 1, 160_000); // straight-lining
  await submit('A', (t) => rating(t + 40), 8_000); // speeder
  await submit('A', (t) => rating(t + 41), 8_000); // speeder
  await submit('A', () => 4, 8_000); // both
  return { api, id };
}
