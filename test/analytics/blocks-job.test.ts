import mongoose from 'mongoose';
import { jobsSettled } from '../../src/analytics/job';
import { clearHookPoints, onHookPoint } from '../../src/db/faults';
import { rebuildTallies } from '../../src/results/tallies/rebuild.service';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { countNow } from '../../src/results/tallies/counter';
import { blockIndex } from '../../src/results/tallies/answer-blocks';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { seedFlagged } from './fixture';

// The analytics job reads the answer blocks when they hold every counted response, and scans the
// responses otherwise (responses counted before blocks existed): both give the same analytics.

useTestDb();
const app = makeApp();

const compute = async (
  api: { get: (p: string) => Promise<{ status: number; body: unknown }> },
  id: string,
) => {
  const path = `/api/v1/assessments/${id}/analytics`;
  expect((await api.get(path)).status).toBe(202);
  await jobsSettled();
  const done = await api.get(path);
  expect(done.status).toBe(200);
  const { computedAt: _c, ...rest } = done.body as Record<string, unknown>;
  return rest;
};

it('computes the same analytics from the answer blocks as from a scan of the responses', async () => {
  forgetSpeederReferences();
  const { id, api } = await seedFlagged(app);

  await countNow(); // submissions still in the inbox are not in blocks yet
  const index = await blockIndex(id, ['A', 'B']);
  expect(index?.rows).toBeGreaterThan(0);
  const fromBlocks = await compute(api, id);

  // As before blocks existed: no lists on the group documents, so the job scans.
  await mongoose.connection
    .collection('groupstats')
    .updateMany({ assessmentId: id }, { $unset: { blocks: '' } });
  expect(await blockIndex(id, ['A', 'B'])).toBeNull();
  await mongoose.connection.collection('analytics').deleteMany({});
  const fromScan = await compute(api, id);

  expect(fromScan).toEqual(fromBlocks);
});

it('starts again when the blocks it reads are replaced meanwhile (a rebuild), with the same result', async () => {
  forgetSpeederReferences();
  const { id, api } = await seedFlagged(app);
  const plain = await compute(api, id);
  await mongoose.connection.collection('analytics').deleteMany({});
  const before = (await blockIndex(id, ['A', 'B']))!.ids;
  let replaced = false;
  // Just before the job reads its first block, a rebuild writes new blocks and deletes the old.
  onHookPoint('analytics.beforeBlock', async () => {
    await rebuildTallies(id);
    replaced = true;
  });
  const again = await compute(api, id);
  clearHookPoints();
  expect(replaced).toBe(true);
  const after = (await blockIndex(id, ['A', 'B']))!.ids;
  expect(after.some((b) => before.includes(b))).toBe(false);
  expect(again).toEqual(plain);
});
