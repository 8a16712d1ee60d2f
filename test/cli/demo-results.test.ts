import { buildProgram, WithDb } from '../../src/cli/index';
import { getResults } from '../../src/results/results.service';
import { getStats } from '../../src/results/tallies/tally.service';
import { GroupStats } from '../../src/results/tallies/group-stats.model';
import { useTestDb } from '../helpers/db';

useTestDb();

async function run(...args: string[]) {
  let out = '';
  const withDb: WithDb = (fn) => fn();
  const io = { out: (s: string) => ((out += s), true), err: () => true };
  await buildProgram(withDb, io).parseAsync(args, { from: 'user' });
  return out;
}

const viewer = { id: 'v', email: 'v@example.com', role: 'viewer' as const };

describe('demo:seed and results:rebuild', () => {
  it('seeds an open xiaomi-2024 assessment with N synthetic responses and prints its id alone', async () => {
    const out = await run('demo:seed', '--responses', '120');
    const id = out.trim();
    expect(id).toMatch(/^[a-f0-9]{24}$/);
    expect(out).toBe(`${id}\n`);
    const r = await getResults(viewer, id);
    expect(r.topics).toHaveLength(18);
    expect(r.responses.total).toBe(120);
    expect(r.topics.every((t) => t.impact.n + t.impact.dontKnow > 0)).toBe(true);
  });

  it('rebuild restores counters that were lost, from the stored responses', async () => {
    const id = (await run('demo:seed', '--responses', '80')).trim();
    const before = await getResults(viewer, id);
    await GroupStats.deleteMany({ assessmentId: id });
    expect((await getStats(id)).responses.total).toBe(0);
    expect(await run('results:rebuild', '--assessment', id)).toBe(
      `rebuilt ${id} from 80 responses\n`,
    );
    const after = await getResults(viewer, id);
    expect(after.responses).toEqual(before.responses);
    after.topics.forEach((t, i) => {
      expect(t.code).toBe(before.topics[i]!.code);
      for (const axis of ['impact', 'financial'] as const) {
        const was = before.topics[i]![axis].score;
        if (was === null) expect(t[axis].score).toBeNull();
        else expect(t[axis].score).toBeCloseTo(was, 9);
      }
    });
  });

  it('rejects a bad --responses value', async () => {
    await expect(run('demo:seed', '--responses', 'many')).rejects.toThrow(/whole number/);
  });
});
