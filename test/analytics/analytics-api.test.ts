import request from 'supertest';
import { jobsSettled } from '../../src/analytics/job';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { seedFlagged, TOPICS } from './fixture';

useTestDb();
const app = makeApp();

let id: string;
type Client = Awaited<ReturnType<typeof apiClient>>;
const withPut = (c: Client) => ({
  ...c,
  put: (path: string, body: object) =>
    request(app)
      .put(path)
      .set({ Authorization: `Bearer ${c.token}` })
      .send(body),
});
let api: ReturnType<typeof withPut>;
beforeAll(async () => {
  forgetSpeederReferences();
  const seeded = await seedFlagged(app);
  id = seeded.id;
  api = withPut(seeded.api);
});

/** Asks until the job this process runs has answered (no sleeps: waits on the job itself). */
async function computed(path: string) {
  const first = await api.get(path);
  if (first.status === 200) return first;
  expect(first.status).toBe(202);
  await jobsSettled();
  return api.get(path);
}

describe('GET /api/v1/assessments/:id/analytics', () => {
  it('answers 202 with progress, then 200 with the documented shape', async () => {
    const first = await api.get(`/api/v1/assessments/${id}/analytics`);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ status: 'computing', progress: expect.any(Number) });
    expect(first.body.progress).toBeGreaterThanOrEqual(0);
    expect(first.body.progress).toBeLessThanOrEqual(1);
    await jobsSettled();
    const done = await api.get(`/api/v1/assessments/${id}/analytics`);
    expect(done.status).toBe(200);
    const b = done.body;
    expect(b).toMatchObject({
      assessmentId: id,
      method: 'dma-v1',
      bootstrap: { replicates: 2000, seed: expect.any(Number) },
      dataVersion: expect.any(String),
      computedAt: expect.any(String),
    });
    expect(b.topics.map((t: { code: string }) => t.code).sort()).toEqual([...TOPICS].sort());
    for (const t of b.topics) {
      expect(t.impact.ci95).toHaveLength(2);
      expect(t.pMaterial).toBeGreaterThanOrEqual(0);
      expect(t.uncertain).toBe(t.pMaterial > 0.1 && t.pMaterial < 0.9);
      expect(t.rankRange90[0]).toBeLessThanOrEqual(t.rankRange90[1]);
      expect(typeof t.pMaterialUnderWeights).toBe('number');
    }
    expect(b.agreement).toMatchObject({ axis: 'impact', groups: ['A', 'B'], df: 4 });
    expect(typeof b.agreement.kendallW).toBe('number');
    expect(b.agreement.spearman.A.B).toBe(b.agreement.spearman.B.A);
    expect(b.methodSensitivity.flips).toEqual(expect.any(Array));
    expect(b.leaveOneGroupOut.map((l: { group: string }) => l.group)).toEqual(['A', 'B']);
    expect(b.quality).toEqual({
      straightLining: 3,
      speeder: 3,
      byGroup: { A: { straightLining: 3, speeder: 3 }, B: { straightLining: 0, speeder: 0 } },
      excluded: [],
    });
  });

  it('serves the cached bytes again without recomputing', async () => {
    const a = await api.get(`/api/v1/assessments/${id}/analytics`);
    const b = await api.get(`/api/v1/assessments/${id}/analytics`);
    expect(a.status).toBe(200);
    expect(b.text).toBe(a.text);
  });

  it('recomputes after an exclusion, which is audited, with the same seed and new figures', async () => {
    const before = (await api.get(`/api/v1/assessments/${id}/analytics`)).body;
    const put = await api.put(`/api/v1/assessments/${id}/exclusions`, {
      exclude: ['speeder', 'straightLining'],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ exclude: ['straightLining', 'speeder'] });
    const after = (await computed(`/api/v1/assessments/${id}/analytics`)).body;
    expect(after.dataVersion).not.toBe(before.dataVersion);
    expect(after.quality.excluded).toEqual(['straightLining', 'speeder']);
    expect(after.quality.straightLining).toBe(3); // counted, never deleted
    const audit = await api.get(`/api/v1/assessments/${id}/audit`);
    expect(audit.body.entries[0]).toMatchObject({
      action: 'exclusion.set',
      after: { exclude: ['straightLining', 'speeder'] },
    });
    await api.put(`/api/v1/assessments/${id}/exclusions`, { exclude: [] });
  });

  it('validates the exclusion body and checks roles', async () => {
    const bad = await api.put(`/api/v1/assessments/${id}/exclusions`, { exclude: ['sloppy'] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual(expect.any(Array));
    const viewer = withPut(await apiClient(app, 'viewer'));
    expect((await viewer.put(`/api/v1/assessments/${id}/exclusions`, { exclude: [] })).status).toBe(
      403,
    );
    expect((await viewer.get(`/api/v1/assessments/${id}/analytics`)).status).not.toBe(403);
    expect((await request(app).get(`/api/v1/assessments/${id}/analytics`)).status).toBe(401);
    expect((await api.get('/api/v1/assessments/nope/analytics')).status).toBe(404);
  });
});
