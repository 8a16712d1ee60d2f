import { buildProgram, WithDb } from '../../src/cli/index';
import { ResponseModel } from '../../src/responses/response.model';
import { straightLined } from '../../src/results/tallies/quality-flags';
import { getStats } from '../../src/results/tallies/tally.service';
import { getAnalytics } from '../../src/analytics/analytics.service';
import { jobsSettled } from '../../src/analytics/job';
import { useTestDb } from '../helpers/db';

// demo:seed responses carry quality flags as real submissions do (methodology section 7), so the
// demo's Analytics tab has response quality to show.
useTestDb();

async function seed(n: number) {
  let out = '';
  const withDb: WithDb = (fn) => fn();
  const io = { out: (s: string) => ((out += s), true), err: () => true };
  await buildProgram(withDb, io).parseAsync(['demo:seed', '--responses', String(n)], {
    from: 'user',
  });
  return out.trim();
}

describe('demo:seed response quality', () => {
  it('stores straight-lining and speeder flags, counted per group in the tallies', async () => {
    const id = await seed(600);
    const docs = await ResponseModel.find({ assessmentId: id })
      .select({ group: 1, flags: 1, answers: 1, durationMs: 1 })
      .lean();
    expect(docs).toHaveLength(600);
    const count = (flag: 'straightLining' | 'speeder') =>
      docs.filter((d) => d.flags?.includes(flag)).length;
    // about 3% and 4% of 600; a few speeders early in a group are not flagged yet (fewer than 10
    // completion times to judge against), as with real submissions
    expect(count('straightLining')).toBeGreaterThanOrEqual(8);
    expect(count('speeder')).toBeGreaterThanOrEqual(8);
    expect(count('straightLining') + count('speeder')).toBeLessThan(90);
    // a stored flag is what the submission's rule says
    for (const d of docs) {
      expect(Boolean(d.flags?.includes('straightLining'))).toBe(straightLined(d.answers));
      // below 0.4 × a median of ordinary durations (2–10 minutes): under 4 minutes at most
      if (d.flags?.includes('speeder')) expect(d.durationMs).toBeLessThan(240_000);
    }
    const stats = await getStats(id);
    const byGroup: Record<string, { straightLining: number; speeder: number }> = {};
    for (const d of docs) {
      const g = (byGroup[d.group] ??= { straightLining: 0, speeder: 0 });
      if (d.flags?.includes('straightLining')) g.straightLining++;
      if (d.flags?.includes('speeder')) g.speeder++;
    }
    for (const [code, want] of Object.entries(byGroup))
      expect(stats.quality?.byGroup[code]).toMatchObject(want);
    // ...and the Analytics tab's quality section shows them
    const analyst = { id: 'a', email: 'a@example.com', role: 'analyst' as const };
    expect((await getAnalytics(analyst, id)).status).toBe('computing');
    await jobsSettled();
    const done = await getAnalytics(analyst, id);
    if (done.status !== 'done') throw new Error('analytics not computed');
    const quality = JSON.parse(done.json).quality;
    expect(quality.straightLining).toBe(count('straightLining'));
    expect(quality.speeder).toBe(count('speeder'));
  });
});
