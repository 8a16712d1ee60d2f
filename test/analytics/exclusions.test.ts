import mongoose from 'mongoose';
import { makeApp } from '../helpers/app';
import { storedResponses, useTestDb } from '../helpers/db';
import { getResults } from '../../src/results/results.service';
import { rebuildTallies } from '../../src/results/tallies/rebuild.service';
import { Exclusion } from '../../src/results/tallies/exclusion.model';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { loadAssessment } from '../../src/assessments/services/assessment.store';
import { scoresOf } from '../../src/responses/questionnaire';
import {
  computeTopicResults,
  dict,
  resolveSettings,
  tallyDelta,
  addTally,
  type Tally,
} from '../../src/scoring';
import type { AnswerDoc } from '../../src/responses/response.model';
import { seedFlagged } from './fixture';

useTestDb();
const app = makeApp();
const admin = { id: 'u', email: 'a@example.com', role: 'admin' } as never;

let id: string;
beforeAll(async () => {
  forgetSpeederReferences();
  ({ id } = await seedFlagged(app));
});

/** Results recomputed from scratch: every stored response read, the excluded ones left out. */
async function recomputed(exclude: string[]) {
  const a = await loadAssessment(id);
  const tallies = dict<Record<string, Record<string, Tally>>>();
  let total = 0;
  for (const r of await storedResponses(id)) {
    if (((r.flags as string[] | undefined) ?? []).some((f) => exclude.includes(f))) continue;
    total++;
    for (const { topic, axis, x } of scoresOf(a, r.answers as AnswerDoc[])) {
      const byAxis = (tallies[topic] ??= dict());
      const byGroup = (byAxis[axis] ??= dict());
      byGroup[r.group as string] = addTally(
        byGroup[r.group as string] ?? { n: 0, sum: 0, sumSq: 0, dontKnow: 0 },
        tallyDelta(x),
      );
    }
  }
  const topics = computeTopicResults({
    topics: a.topics.map((t) => ({ code: t.code, name: t.name, category: t.category })),
    groups: a.groups.map((g) => ({ code: g.code, instruments: g.instruments })),
    tallies,
    settings: resolveSettings({
      ...a.settings,
      weights: dict(a.groups.map((g) => [g.code, g.weight])),
    }),
  });
  return { total, topics };
}

const comparable = (
  topics: {
    code: string;
    rank: number;
    classification: string;
    impact: { score: number | null; n: number };
    financial: { score: number | null; n: number };
  }[],
) =>
  topics.map((t) => ({
    code: t.code,
    rank: t.rank,
    classification: t.classification,
    impact: [t.impact.score === null ? null : Number(t.impact.score.toFixed(10)), t.impact.n],
    financial: [
      t.financial.score === null ? null : Number(t.financial.score.toFixed(10)),
      t.financial.n,
    ],
  }));

describe('quality flags are stored with each response', () => {
  it('flags straight-liners and speeders, once the median has 10 responses', async () => {
    const stored = await storedResponses(id);
    const count = (f: string) => stored.filter((r) => (r.flags ?? []).includes(f)).length;
    expect(stored).toHaveLength(29);
    expect(count('straightLining')).toBe(3);
    expect(count('speeder')).toBe(3);
    expect(stored.filter((r) => (r.flags ?? []).length === 2)).toHaveLength(1);
  });
});

describe('results with an exclusion equal a full recomputation', () => {
  for (const exclude of [[], ['straightLining'], ['speeder'], ['straightLining', 'speeder']]) {
    it(`excluding [${exclude.join(', ')}]`, async () => {
      await Exclusion.updateOne(
        { _id: id },
        { $set: { exclude, by: 'test', at: new Date() } },
        { upsert: true },
      );
      const results = await getResults(admin, id);
      const expected = await recomputed(exclude);
      expect(results.responses.total).toBe(expected.total);
      expect(comparable(results.topics)).toEqual(comparable(expected.topics));
    });
  }

  it('changes the figures when something is excluded', async () => {
    await Exclusion.updateOne({ _id: id }, { $set: { exclude: [] } });
    const all = await getResults(admin, id);
    await Exclusion.updateOne({ _id: id }, { $set: { exclude: ['straightLining', 'speeder'] } });
    const kept = await getResults(admin, id);
    expect(kept.responses.total).toBe(all.responses.total - 5);
    expect(kept.topics.find((t) => t.code === 'CLIMATE')!.impact.n).toBe(
      all.topics.find((t) => t.code === 'CLIMATE')!.impact.n - 5,
    );
  });
});

describe('rebuild', () => {
  it('reproduces the tallies, the per-class tallies and the completion-time histogram', async () => {
    const docs = () =>
      mongoose.connection
        .collection('groupstats')
        .find({ assessmentId: id })
        .sort({ _id: 1 })
        .toArray()
        .then((ds) =>
          ds.map((d) =>
            Object.fromEntries(
              Object.entries(d)
                .filter(([k]) => /^(tally|flag|dur):/.test(k) || k === 'responses')
                .map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(9)) : v])
                .sort(([a], [b]) => (a < b ? -1 : 1)),
            ),
          ),
        );
    const before = await docs();
    expect(before.some((d) => Object.keys(d).some((k) => k.startsWith('flag:slsp:')))).toBe(true);
    expect(before.some((d) => Object.keys(d).some((k) => k.startsWith('dur:')))).toBe(true);
    await rebuildTallies(id);
    expect(await docs()).toEqual(before);
  });
});
