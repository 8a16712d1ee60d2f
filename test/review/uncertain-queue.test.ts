import mongoose from 'mongoose';
import { jobsSettled } from '../../src/analytics/job';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { staff } from '../assessments/pages.helpers';
import { closedAssessment, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

interface CachedTopic {
  code: string;
  pMaterial: number;
  uncertain: boolean;
}

/**
 * The constructed case: the analytics cached for the current data call `t2` uncertain
 * (P(material) 0.45) and every other topic certain. The cache document is the one the job wrote
 * for these data (same data version); only its result is edited, so it still counts as current.
 */
async function cacheWithUncertain(id: string, uncertain: string) {
  const analyst = await apiClient(app, 'analyst');
  expect((await analyst.get(`/api/v1/assessments/${id}/analytics`)).status).toBe(202);
  await jobsSettled();
  expect((await analyst.get(`/api/v1/assessments/${id}/analytics`)).status).toBe(200);
  const cache = mongoose.connection.collection<{ _id: string; result: string }>('analytics');
  const doc = (await cache.findOne({ _id: id }))!;
  const result = JSON.parse(doc.result) as { topics: CachedTopic[] };
  for (const t of result.topics) {
    t.uncertain = t.code === uncertain;
    t.pMaterial = t.code === uncertain ? 0.45 : 1;
  }
  await cache.updateOne({ _id: id }, { $set: { result: JSON.stringify(result) } });
}

it('uncertain topics of the cached analytics are listed in the review queue for information; sign-off does not wait for them', async () => {
  // Two topics, neither borderline (band 0, scores away from the thresholds).
  const { id } = await closedAssessment(app, { topics: ['t1', 't2'] });
  const viewer = await apiClient(app, 'viewer');
  // Nothing cached yet: nothing uncertain is listed, and the page says when it will be.
  const before = (await viewer.get(`/api/v1/assessments/${id}/review`)).body;
  expect(before).toMatchObject({ items: [], analytics: false, undecided: [] });
  const analyst = await staff(app, 'analyst');
  expect((await analyst.agent.get(`/assessments/${id}/review`)).text).toContain(
    'once the analytics are computed',
  );

  await cacheWithUncertain(id, 't2');
  const queue = (await viewer.get(`/api/v1/assessments/${id}/review`)).body;
  expect(queue.analytics).toBe(true);
  expect(queue.items).toEqual([
    expect.objectContaining({
      code: 't2',
      uncertain: true,
      pMaterial: 0.45,
      borderline: false,
      needsDecision: false,
      decision: null,
    }),
  ]);
  expect(queue.undecided).toEqual([]);
  const page = (await analyst.agent.get(`/assessments/${id}/review`)).text;
  const row = /<tr data-topic="t2"[\s\S]*?<\/tr>/.exec(page)?.[0];
  expect(row).toContain('Uncertain (P(material) 0.45)');
  expect(row).toContain('For information (no decision needed)');
  expect(row).not.toContain('needs-decision');
  const zh = (await analyst.agent.get(`/assessments/${id}/review?lang=zh-Hant`)).text;
  expect(zh).toContain('不確定（重大機率 0.45）');

  // For information only: sign-off goes ahead without a decision on t2.
  const approver = await apiClient(app, 'approver');
  expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
});

it('a topic both borderline and uncertain still needs its decision', async () => {
  const { id } = await closedAssessment(app, { topics: ['t1', 't2', 't3'], band: 1 });
  await cacheWithUncertain(id, 't1');
  const viewer = await apiClient(app, 'viewer');
  const queue = (await viewer.get(`/api/v1/assessments/${id}/review`)).body;
  const t1 = queue.items.find((i: { code: string }) => i.code === 't1');
  expect(t1).toMatchObject({ uncertain: true, borderline: true, needsDecision: true });
  expect(queue.undecided).toContain('t1');
  const approver = await apiClient(app, 'approver');
  const r = await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN);
  expect(r.status).toBe(409);
  expect(r.body.error.code).toBe('review_incomplete');
});
