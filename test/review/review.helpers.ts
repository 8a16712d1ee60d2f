import type { Express } from 'express';
import request from 'supertest';
import { apiClient } from '../helpers/api';

/**
 * A small assessment with responses, closed and ready for review: topics t1..tN, an impact group A
 * and a financial group M. `borderlineBand: 0` keeps the review queue empty unless a test asks.
 */
export async function closedAssessment(
  app: Express,
  opts: { topics?: string[]; band?: number; year?: number; name?: string } = {},
) {
  const topics = opts.topics ?? ['t1', 't2'];
  const api = await apiClient(app, 'analyst');
  const id = (
    await api.post('/api/v1/assessments', {
      name: opts.name ?? 'Review',
      reportingYear: opts.year ?? 2025,
    })
  ).body.id as string;
  for (const code of topics)
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/topics`, {
          code,
          name: { en: `Topic ${code}` },
          category: 'E',
        })
      ).status,
    ).toBe(201);
  for (const [code, instruments] of [
    ['A', ['impact']],
    ['M', ['financial']],
  ] as const)
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/groups`, {
          code,
          name: { en: code },
          kind: 'external',
          weight: 1,
          instruments,
        })
      ).status,
    ).toBe(201);
  expect(
    (
      await api.patch(`/api/v1/assessments/${id}`, {
        settings: { borderlineBand: opts.band ?? 0, minGroupN: 1, minReportN: 1 },
      })
    ).status,
  ).toBe(200);
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const link = async (group: string) =>
    (await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind: 'open' })).body[0]
      .token as string;
  const A = await link('A');
  const M = await link('M');
  // Topic i gets impact 5 - i and financial 4 - i: distinct ranks.
  for (let r = 0; r < 2; r++) {
    const impact = topics.map((code, i) => ({
      instrument: 'impact',
      topic: code,
      significance: Math.max(1, 5 - i),
    }));
    const fin = topics.map((code, i) => ({
      instrument: 'financial',
      topic: code,
      magnitude: Math.max(1, 4 - i),
      likelihood: 4,
    }));
    expect((await request(app).post(`/api/v1/survey/${A}`).send({ answers: impact })).status).toBe(
      201,
    );
    expect((await request(app).post(`/api/v1/survey/${M}`).send({ answers: fin })).status).toBe(
      201,
    );
  }
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'closed' })).status).toBe(
    200,
  );
  return { api, id, links: { A, M } };
}

export const SIGN = {
  meetingDate: '2026-03-20',
  body: 'Board of Directors',
  minutesRef: 'BM-2026-03',
  comment: 'Approved as presented',
};

export const REASON = 'Discussed at length by the ESG working group.';

/** Records "keep as computed" for every borderline topic still undecided, so sign-off may proceed. */
export async function decideAll(app: Express, token: string, id: string) {
  const auth = { Authorization: `Bearer ${token}` };
  const queue = await request(app).get(`/api/v1/assessments/${id}/review`).set(auth);
  for (const code of queue.body.undecided as string[])
    expect(
      (
        await request(app)
          .put(`/api/v1/assessments/${id}/decisions/${code}`)
          .set(auth)
          .send({ rationale: REASON })
      ).status,
    ).toBe(204);
}
