import mongoose from 'mongoose';
import { connectMongoose } from '../../src/db/database';
import { startEmbeddedDb, type EmbeddedDb } from '../../src/db/embedded';
import { syntheticAnswers, prng } from '../../src/demo/synthetic';
import { createLinks } from '../../src/invitations/link.service';
import { buildQuestionnaire } from '../../src/responses/questionnaire';
import { blockIndex, decodeStored, readBlocks } from '../../src/results/tallies/answer-blocks';
import { countNow } from '../../src/results/tallies/counter';
import { rebuildTallies } from '../../src/results/tallies/rebuild.service';
import { getStats } from '../../src/results/tallies/tally.service';
import type { Tally } from '../../src/scoring/types';
import { BENCH_ACTOR, benchAssessment } from '../bench/fixtures';

const DB = 'load';

async function withDb<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const db: EmbeddedDb = await startEmbeddedDb({ dataDir, autoRestart: false });
  await connectMongoose(db.uri, DB);
  try {
    return await fn();
  } finally {
    await mongoose.disconnect();
    await db.stop();
  }
}

/** An open assessment with personal links and one open link, before the app starts. */
export async function setUp(dataDir: string, personal: number) {
  return withDb(dataDir, async () => {
    const a = await benchAssessment('load test');
    const group = a.groups.find((g) => g.code === 'users')!;
    const rand = prng(7);
    const q = buildQuestionnaire(a, group, 'en');
    const links = await createLinks(
      BENCH_ACTOR,
      a._id,
      { group: 'users', kind: 'personal', count: Math.min(10_000, personal) },
      'http://load',
    );
    const [open] = await createLinks(
      BENCH_ACTOR,
      a._id,
      { group: 'users', kind: 'open' },
      'http://load',
    );
    return {
      assessmentId: a._id,
      tokens: { personal: links.map((l) => l.token), open: open!.token },
      bodies: Array.from({ length: 50 }, () => syntheticAnswers(q, rand, () => 3)),
    };
  });
}

/** After the run: what is stored, what is counted, and how the counters compare with a rebuild. */
export async function verify(dataDir: string, assessmentId: string, ackedIds: string[]) {
  return withDb(dataDir, async () => {
    await countNow(); // the reconciler, as at any start-up
    const responses = mongoose.connection.collection<{ _id: string; group?: string }>('responses');
    const stored = await responses
      .find({ assessmentId }, { projection: { _id: 1, group: 1 } })
      .toArray();
    const ids = new Set(stored.map((d) => d._id));
    const storedByGroup = new Map<string, number>();
    for (const d of stored)
      storedByGroup.set(d.group ?? '', (storedByGroup.get(d.group ?? '') ?? 0) + 1);
    const missingIds = ackedIds.filter((id) => !ids.has(id));
    const missing = missingIds.length;
    if (missing) {
      // Where the missing ones are, for the investigation of a failed run.
      const inbox = mongoose.connection.collection<{ _id: string }>('inbox');
      for (const id of missingIds.slice(0, 20)) {
        const byId = await responses.findOne(
          { _id: id },
          { projection: { _id: 1, submittedAt: 1 } },
        );
        const inInbox = await inbox.findOne({ _id: id }, { projection: { _id: 1 } });
        console.error(`load: missing ${id}: by _id ${JSON.stringify(byId)}, in inbox ${!!inInbox}`);
      }
      console.error(
        `load: countDocuments ${await responses.countDocuments({})}, scanned ${ids.size}`,
      );
    }
    const counted = await getStats(assessmentId);
    // The answer blocks the counter wrote (before the rebuild rewrites them): each stored
    // response exactly once, group by group.
    const blocks = await blockGroups(assessmentId, Object.keys(counted.responses.byGroup));
    await rebuildTallies(assessmentId);
    const rebuilt = await getStats(assessmentId);
    const flat = (s: typeof counted) => {
      const out = new Map<string, number>([['total', s.responses.total]]);
      for (const [g, n] of Object.entries(s.responses.byGroup)) out.set(`responses:${g}`, n);
      for (const [t, axes] of Object.entries(s.tallies))
        for (const [x, groups] of Object.entries(axes))
          for (const [g, tally] of Object.entries(groups))
            for (const [f, v] of Object.entries(tally as Record<keyof Tally, number>))
              out.set(`${t}:${x}:${g}:${f}`, v);
      return out;
    };
    const a = flat(counted);
    const b = flat(rebuilt);
    const keys = new Set([...a.keys(), ...b.keys()]);
    const differences = [...keys].filter(
      (k) => Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)) > 1e-9,
    ).length;
    const blocksDiffer =
      blocks === null ||
      [...new Set([...blocks.keys(), ...storedByGroup.keys()])].some(
        (g) => (blocks.get(g) ?? 0) !== (storedByGroup.get(g) ?? 0),
      );
    return {
      stored: ids.size,
      missing,
      counted: counted.responses.total,
      differences,
      blocksDiffer,
    };
  });
}

/** Responses per group in the assessment's answer blocks, or null when they are incomplete. */
async function blockGroups(assessmentId: string, groups: string[]) {
  const index = await blockIndex(assessmentId, groups);
  if (!index) return null;
  const byGroup = new Map<string, number>();
  for (const b of (await readBlocks(index.ids)) ?? [])
    decodeStored(b, (r) => byGroup.set(r.group, (byGroup.get(r.group) ?? 0) + 1));
  return byGroup;
}
