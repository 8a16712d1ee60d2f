import mongoose from 'mongoose';
import { jobsSettled } from '../../src/analytics/job';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { blockIndex } from '../../src/results/tallies/answer-blocks';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { seedFlagged } from './fixture';

// The analytics job reads the answer blocks when they hold every counted response, and scans the
// responses otherwise (responses counted before blocks existed): both give the same analytics.

useTestDb();
const app = makeApp();

it('computes the same analytics from the answer blocks as from a scan of the responses', async () => {
  forgetSpeederReferences();
  const { id, api } = await seedFlagged(app);
  const path = `/api/v1/assessments/${id}/analytics`;
  const compute = async () => {
    expect((await api.get(path)).status).toBe(202);
    await jobsSettled();
    const done = await api.get(path);
    expect(done.status).toBe(200);
    const { computedAt: _c, ...rest } = done.body as Record<string, unknown>;
    return rest;
  };

  const index = await blockIndex(id, ['A', 'B']);
  expect(index?.rows).toBeGreaterThan(0);
  const fromBlocks = await compute();

  // As before blocks existed: no lists on the group documents, so the job scans.
  await mongoose.connection
    .collection('groupstats')
    .updateMany({ assessmentId: id }, { $unset: { blocks: '' } });
  expect(await blockIndex(id, ['A', 'B'])).toBeNull();
  await mongoose.connection.collection('analytics').deleteMany({});
  const fromScan = await compute();

  expect(fromScan).toEqual(fromBlocks);
});
