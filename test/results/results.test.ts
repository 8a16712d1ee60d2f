import fc from 'fast-check';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { rebuildTallies } from '../../src/results/tallies/rebuild.service';
import { resolveLink, submitResponse } from '../../src/surveys/survey.service';
import { getResults } from '../../src/results/results.service';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

/** A blank assessment with two impact groups (A, B), a financial group (M) and the given topics. */
async function setup(topics = ['t1', 't2']) {
  const api = await apiClient(app, 'analyst');
  const id = (await api.post('/api/v1/assessments', { name: 'Golden', reportingYear: 2025 })).body
    .id as string;
  for (const code of topics)
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/topics`, {
          code,
          name: { en: code },
          category: 'E',
        })
      ).status,
    ).toBe(201);
  for (const [code, instruments] of [
    ['A', ['impact']],
    ['B', ['impact']],
    ['M', ['financial']],
  ] as const) {
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
  }
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const link = async (group: string) =>
    (await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind: 'open' })).body[0]
      .token as string;
  return { api, id, links: { A: await link('A'), B: await link('B'), M: await link('M') } };
}

const submit = (token: string, answers: object[]) =>
  request(app).post(`/api/v1/survey/${token}`).send({ answers });

describe('results', () => {
  it('reproduces the golden values of methodology section 9 and follows settings instantly', async () => {
    const { api, id, links } = await setup(['t1']);
    for (const v of [5, 5, 5, 5])
      expect(
        (await submit(links.A, [{ instrument: 'impact', topic: 't1', significance: v }])).status,
      ).toBe(201);
    for (const v of [1, 3])
      expect(
        (await submit(links.B, [{ instrument: 'impact', topic: 't1', significance: v }])).status,
      ).toBe(201);
    expect(
      (
        await submit(links.M, [
          { instrument: 'financial', topic: 't1', magnitude: 4, likelihood: 2 },
        ])
      ).status,
    ).toBe(201);

    const r = (await api.get(`/api/v1/assessments/${id}/results`)).body;
    expect(r.method).toBe('dma-v1');
    expect(r.responses).toEqual({ total: 7, byGroup: { A: 4, B: 2, M: 1 } });
    const t = r.topics[0];
    expect(t.impact.score).toBeCloseTo(3.5, 12);
    expect(t.impact.pooledMean).toBeCloseTo(4.0, 12);
    expect(t.impact.n).toBe(6);
    expect(t.impact.byGroup.A).toMatchObject({ mean: 5, n: 4, sd: 0 });
    expect(t.impact.byGroup.B.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(t.financial.score).toBeCloseTo(1.6, 12);
    expect(t.classification).toBe('impact');
    expect(t.material).toBe(true);
    expect(t.priority).toBeCloseTo(1.1667, 4);
    expect(t.borderline).toBe(false);
    expect(t.rank).toBe(1);

    const weighted = await api.patch(`/api/v1/assessments/${id}`, {
      settings: { weights: { A: 3, B: 1 } },
    });
    expect(weighted.status).toBe(200);
    expect(
      (await api.get(`/api/v1/assessments/${id}/results`)).body.topics[0].impact.score,
    ).toBeCloseTo(4.25, 12);

    await api.patch(`/api/v1/assessments/${id}`, { settings: { weights: { A: 1 }, rule: 'both' } });
    const both = (await api.get(`/api/v1/assessments/${id}/results`)).body.topics[0];
    expect(both.material).toBe(false);
    expect(both.priority).toBeCloseTo(0.5333, 4);

    const onlyB = (await api.get(`/api/v1/assessments/${id}/results?group=B`)).body;
    expect(onlyB.topics[0].impact.score).toBeCloseTo(2, 12);
    expect(onlyB.responses).toEqual({ total: 2, byGroup: { B: 2 } });
  });

  it('answers 401 without a token, 404 for an unknown assessment or group', async () => {
    const { api, id } = await setup(['t1']);
    expect((await request(app).get(`/api/v1/assessments/${id}/results`)).status).toBe(401);
    expect((await api.get('/api/v1/assessments/0123456789abcdef01234567/results')).status).toBe(
      404,
    );
    expect((await api.get(`/api/v1/assessments/${id}/results?group=nope`)).status).toBe(404);
    const viewer = await apiClient(app, 'viewer');
    expect((await viewer.get(`/api/v1/assessments/${id}/results`)).status).toBe(200);
  });

  it('rebuild from stored responses equals the incremental tallies on random data', async () => {
    const { id, links } = await setup(['t1', 't2', 't3']);
    const value = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 6 });
    const impactAnswers = fc
      .tuple(value, value, value)
      .map((vs) =>
        vs.map((v, i) => ({ instrument: 'impact', topic: `t${i + 1}`, significance: v })),
      );
    const financialAnswers = fc.tuple(value, value, value, value, value, value).map((vs) =>
      [0, 1, 2].map((i) => ({
        instrument: 'financial',
        topic: `t${i + 1}`,
        magnitude: vs[2 * i],
        likelihood: vs[2 * i + 1],
      })),
    );
    const sample = fc.sample(
      fc.tuple(fc.constantFrom<'A' | 'B' | 'M'>('A', 'B', 'M'), impactAnswers, financialAnswers),
      { numRuns: 60, seed: 7 },
    );
    const ctx = {
      A: await resolveLink(links.A),
      B: await resolveLink(links.B),
      M: await resolveLink(links.M),
    };
    for (const [g, imp, fin] of sample) {
      await submitResponse(ctx[g], { answers: g === 'M' ? fin : imp, lang: 'en' });
    }
    const actor = { id: 'x', email: 'x@example.com', role: 'viewer' as const };
    const before = await getResults(actor, id);
    expect(before.responses.total).toBe(60);
    await rebuildTallies(id);
    const after = await getResults(actor, id);
    expect(after.responses).toEqual(before.responses);
    for (const [i, t] of before.topics.entries()) {
      const u = after.topics.at(i)!;
      expect(u.code).toBe(t.code);
      for (const axis of ['impact', 'financial'] as const) {
        expect(u[axis].n).toBe(t[axis].n);
        expect(u[axis].dontKnow).toBe(t[axis].dontKnow);
        if (t[axis].score === null) expect(u[axis].score).toBeNull();
        else expect(u[axis].score).toBeCloseTo(t[axis].score, 9);
        for (const [g, fig] of Object.entries(t[axis].byGroup)) {
          const ug = u[axis].byGroup[g];
          expect(ug?.n).toBe(fig.n);
          if (fig.sd !== null) expect(ug?.sd).toBeCloseTo(fig.sd, 9);
        }
      }
    }
  });
});
