import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildProgram, type WithDb } from '../../src/cli/index';
import { DEV_LINK_REF_SECRET } from '../../src/config';
import { armFault, disarmFaults } from '../../src/db/faults';
import { legacyLinkRef, linkRefWith, useLinkRefSecret } from '../../src/invitations/link-ref';
import { packEntry } from '../../src/results/tallies/inbox.model';
import { rekeyLinksOnce } from '../../src/invitations/link-rekey';
import { draftKey, legacyDraftKey } from '../../src/surveys/draft.model';
import { draftId, loadDraft, resolveLink } from '../../src/surveys/survey.service';
import { blockIndex, decodeStored, readBlocks } from '../../src/results/tallies/answer-blocks';
import { settleCounting } from '../../src/results/tallies/counter';
import { rebuildTallies } from '../../src/results/tallies/rebuild.service';
import { exportFixture } from '../exports/fixtures';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();
afterEach(() => {
  disarmFaults();
  useLinkRefSecret(DEV_LINK_REF_SECRET);
});

interface Stored {
  _id: string;
  linkRef: string;
  answers: { significance?: number }[];
}
const responses = () => mongoose.connection.collection<Stored>('responses');
const stats = () => mongoose.connection.collection('groupstats');

/** Runs the CLI in-process on this file's connection. */
async function cli(...args: string[]) {
  let out = '';
  const withDb: WithDb = (fn) => fn();
  const io = { out: (s: string) => ((out += s), true), err: () => true };
  try {
    await buildProgram(withDb, io).parseAsync(args, { from: 'user' });
    return { out };
  } catch (error) {
    return { out, error };
  }
}

/** The counters of an assessment as figures only (no batch memory, no times; missing = 0). */
async function counters(assessmentId: string) {
  await settleCounting();
  const docs = await stats().find({ assessmentId }).sort({ _id: 1 }).toArray();
  return docs.map((d) =>
    Object.fromEntries(
      Object.entries(d)
        // The figures results read (responses, tallies) and the link counts; other pieces' extra
        // counters (per day, per duration) are theirs to keep equal to a rebuild.
        .filter(
          ([k, v]) =>
            /^(tally:|responses$|submitted$|invited$|opened$|_id$|group$)/.test(k) && v !== 0,
        )
        // Sums of squares in another order differ in the last bits only.
        .map(([k, v]) => [k, typeof v === 'number' ? +v.toPrecision(12) : v]),
    ),
  );
}

/** The response ids the assessment's answer blocks carry, sorted. */
async function blockIds(assessmentId: string) {
  const a = await mongoose.connection
    .collection('assessments')
    .findOne({ _id: assessmentId as never });
  const index = await blockIndex(
    assessmentId,
    (a!.groups as { code: string }[]).map((g) => g.code),
  );
  expect(index?.details).toBe(true);
  const ids: string[] = [];
  for (const b of (await readBlocks(index!.ids))!) decodeStored(b, (r) => ids.push(r._id!));
  return ids.sort();
}

/** What a full rebuild makes of the same responses (the counters are put back afterwards). */
async function rebuiltCounters(assessmentId: string) {
  const before = await stats().find({ assessmentId }).toArray();
  await rebuildTallies(assessmentId);
  const rebuilt = await counters(assessmentId);
  for (const d of before) await stats().replaceOne({ _id: d._id }, d);
  return rebuilt;
}

/** Rewrites the stored responses as versions before the keyed reference wrote them. */
async function downgrade(tokens: string[]) {
  for (const token of tokens) {
    const keyed = linkRefWith(DEV_LINK_REF_SECRET, token);
    const legacy = legacyLinkRef(token);
    for (const doc of await responses().find({ linkRef: keyed }).toArray()) {
      const old = doc._id === `p_${keyed}` ? `p_${legacy}` : doc._id;
      await responses().deleteOne({ _id: doc._id });
      await responses().insertOne({ ...doc, _id: old, linkRef: legacy });
    }
  }
}

async function setUp() {
  const app = makeApp();
  const fx = await exportFixture(app);
  await settleCounting();
  const tokens = [fx.personal, ...fx.openTokens];
  return { app, fx, tokens };
}

describe('the link reference on a response', () => {
  it('is an HMAC keyed with LINK_REF_SECRET, not a hash anyone with the tokens can recompute', async () => {
    const secret = 'q'.repeat(40);
    const { fx } = await setUp();
    const personal = await responses().findOne({
      _id: `p_${linkRefWith(DEV_LINK_REF_SECRET, fx.personal)}`,
    });
    expect(personal).not.toBeNull();
    expect(personal!.linkRef).not.toBe(legacyLinkRef(fx.personal));
    expect(JSON.stringify(await responses().find({}).toArray())).not.toContain(
      legacyLinkRef(fx.personal),
    );

    // Another secret, another reference: the same token maps elsewhere.
    const app = makeApp({ LINK_REF_SECRET: secret });
    const link = (
      await fx.api.post(`/api/v1/assessments/${fx.id}/invitations`, {
        group: 'A',
        kind: 'personal',
        count: 1,
      })
    ).body[0].token as string;
    const survey = await request(app).get(`/api/v1/survey/${link}`);
    const answers = survey.body.instruments[0].topics.map((t: { code: string }) => ({
      instrument: 'impact',
      topic: t.code,
      significance: 3,
    }));
    expect((await request(app).post(`/api/v1/survey/${link}`).send({ answers })).status).toBe(201);
    await settleCounting();
    const stored = await responses().findOne({ _id: `p_${linkRefWith(secret, link)}` });
    expect(stored?.linkRef).toBe(linkRefWith(secret, link));
    expect(linkRefWith(secret, link)).not.toBe(linkRefWith(DEV_LINK_REF_SECRET, link));
  });
});

describe('responses:rekey-links', () => {
  it('moves legacy references to the keyed form, keeps every figure, and a second run changes nothing', async () => {
    const { fx, tokens } = await setUp();
    const before = await counters(fx.id);
    await downgrade(tokens);
    expect(await responses().countDocuments({ _id: `p_${legacyLinkRef(fx.personal)}` })).toBe(1);

    const first = await cli('responses:rekey-links', '--assessment', fx.id);
    expect(first.error).toBeUndefined();
    expect(first.out).toContain('1 personal responses moved, 14 open-link responses relabelled');
    // The answer blocks carry response ids for exports: the moved response's blocks are rebuilt.
    expect(first.out).toContain('0 second submissions removed, counters rebuilt for 1');
    expect(await blockIds(fx.id)).toEqual(
      (await responses().find({ assessmentId: fx.id }).toArray()).map((r) => r._id).sort(),
    );

    const all = await responses().find({ assessmentId: fx.id }).toArray();
    expect(all).toHaveLength(fx.responses);
    const keyed = new Set(tokens.map((t) => linkRefWith(DEV_LINK_REF_SECRET, t)));
    for (const r of all) expect(keyed.has(r.linkRef)).toBe(true);
    expect(all.some((r) => r._id === `p_${linkRefWith(DEV_LINK_REF_SECRET, fx.personal)}`)).toBe(
      true,
    );
    expect(await counters(fx.id)).toEqual(before);
    expect(await rebuiltCounters(fx.id)).toEqual(before);

    const again = await cli('responses:rekey-links');
    expect(again.error).toBeUndefined();
    expect(again.out).toContain('0 personal responses moved, 0 open-link responses relabelled');
    expect(await responses().countDocuments({ assessmentId: fx.id })).toBe(fx.responses);

    // The link is still single-use under its new id.
    const res = await request(makeApp())
      .post(`/api/v1/survey/${fx.personal}`)
      .send({ answers: [] });
    expect([409, 422]).toContain(res.status);
  });

  it('leaves a personal response that is not counted yet for a later run, and says so', async () => {
    const { fx, tokens } = await setUp();
    const before = await counters(fx.id);
    await downgrade(tokens);
    const legacyId = `p_${legacyLinkRef(fx.personal)}`;
    // As a submission with the old key leaves it: stored in `responses`, its inbox entry not counted.
    const stored = await responses().findOne({ _id: legacyId });
    const inbox = mongoose.connection.collection('inbox');
    await inbox.insertOne(packEntry({ ...stored, nonce: 'not-counted' } as never) as never);

    const first = await cli('responses:rekey-links', '--assessment', fx.id);
    expect(first.error).toBeUndefined();
    expect(first.out).toContain('0 personal responses moved');
    expect(first.out).toContain('1 personal responses not counted yet were left: run it again');
    expect(await responses().countDocuments({ _id: legacyId })).toBe(1);

    await inbox.deleteOne({ _id: legacyId as never }); // counted meanwhile
    const again = await cli('responses:rekey-links', '--assessment', fx.id);
    expect(again.out).toContain('1 personal responses moved');
    expect(again.out).not.toContain('not counted yet');
    expect(await responses().countDocuments({ assessmentId: fx.id })).toBe(fx.responses);
    expect(await counters(fx.id)).toEqual(before);
  });

  it('rekeys a signed-off assessment without a rebuild: its blocks are marked for exports to scan', async () => {
    const { fx, tokens } = await setUp();
    const before = await counters(fx.id);
    await downgrade(tokens);
    await mongoose.connection
      .collection('assessments')
      .updateOne({ _id: fx.id as never }, { $set: { status: 'approved' } });
    const run = await cli('responses:rekey-links', '--assessment', fx.id);
    expect(run.error).toBeUndefined();
    expect(run.out).toContain('1 personal responses moved');
    expect(run.out).toContain('counters rebuilt for 0');
    expect(await counters(fx.id)).toEqual(before);
    const a = await mongoose.connection.collection('assessments').findOne({ _id: fx.id as never });
    const index = await blockIndex(
      fx.id,
      (a!.groups as { code: string }[]).map((g) => g.code),
    );
    expect(index).toMatchObject({ details: false, rows: fx.responses });
    // A second run has nothing left to do.
    expect((await cli('responses:rekey-links', '--assessment', fx.id)).out).toContain(
      '0 personal responses moved',
    );
  });

  it('finishes an interrupted run: the copy is recognised, nothing is counted twice', async () => {
    const { fx, tokens } = await setUp();
    const before = await counters(fx.id);
    await downgrade(tokens);
    armFault('rekey.afterCopy');
    expect((await cli('responses:rekey-links', '--assessment', fx.id)).error).toBeDefined();
    // Copy and original both exist now.
    expect(await responses().countDocuments({ assessmentId: fx.id })).toBe(fx.responses + 1);

    const resumed = await cli('responses:rekey-links', '--assessment', fx.id);
    expect(resumed.error).toBeUndefined();
    expect(resumed.out).toContain('1 personal responses moved');
    expect(resumed.out).toContain('counters rebuilt for 1');
    expect(await responses().countDocuments({ assessmentId: fx.id })).toBe(fx.responses);
    expect(await counters(fx.id)).toEqual(before);
    expect(await rebuiltCounters(fx.id)).toEqual(before);
    const results = await fx.api.get(`/api/v1/assessments/${fx.id}/results`);
    expect(results.body.responses.total).toBe(fx.responses);
  });

  it('keeps the first of two submissions a personal link made around the upgrade, and rebuilds', async () => {
    const { app, fx, tokens } = await setUp();
    const before = await counters(fx.id);
    await downgrade(tokens);
    // Before the command runs, the link's old response is not found under its new id.
    const survey = await request(app).get(`/api/v1/survey/${fx.personal}`);
    const answers = survey.body.instruments[0].topics.map((t: { code: string }) => ({
      instrument: 'impact',
      topic: t.code,
      significance: 1,
    }));
    expect(
      (await request(app).post(`/api/v1/survey/${fx.personal}`).send({ answers })).status,
    ).toBe(201);
    expect((await fx.api.get(`/api/v1/assessments/${fx.id}/results`)).body.responses.total).toBe(
      fx.responses + 1,
    );

    const r = await cli('responses:rekey-links', '--assessment', fx.id);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain('1 second submissions removed, counters rebuilt for 1');
    const kept = await responses().findOne({
      _id: `p_${linkRefWith(DEV_LINK_REF_SECRET, fx.personal)}`,
    });
    expect(kept!.answers.every((a) => a.significance === 5)).toBe(true);
    expect(await responses().countDocuments({ assessmentId: fx.id })).toBe(fx.responses);
    expect(await counters(fx.id)).toEqual(before);
    expect((await fx.api.get(`/api/v1/assessments/${fx.id}/results`)).body.responses.total).toBe(
      fx.responses,
    );
    const third = await request(app).post(`/api/v1/survey/${fx.personal}`).send({ answers });
    expect(third.status).toBe(409);
  });

  it('answers 404 for an unknown assessment', async () => {
    const r = await cli('responses:rekey-links', '--assessment', 'nope');
    expect(r.error).toBeDefined();
  });
});

describe('at start-up (rekeyLinksOnce)', () => {
  it('rekeys legacy references once, one instance at a time, and then costs one read', async () => {
    const { app, fx, tokens } = await setUp();
    const before = await counters(fx.id);
    await downgrade(tokens);
    // Two instances starting together: one takes the lease and does the work, the other skips.
    const [a, b] = await Promise.all([rekeyLinksOnce('instance-a'), rekeyLinksOnce('instance-b')]);
    const done = [a, b].filter((r) => r !== null);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ moved: 1, relabelled: 14, duplicatesRemoved: 0 });
    expect(await counters(fx.id)).toEqual(before);
    // The personal link that submitted before the upgrade is recognised as used.
    const res = await request(app).post(`/api/v1/survey/${fx.personal}`).send({ answers: [] });
    expect([409, 422]).toContain(res.status);
    expect(
      await responses().countDocuments({
        _id: `p_${linkRefWith(DEV_LINK_REF_SECRET, fx.personal)}`,
      }),
    ).toBe(1);
    // Done for this secret: later calls do nothing, even with legacy data planted again.
    await downgrade(tokens);
    expect(await rekeyLinksOnce('instance-a')).toBeNull();
    expect(await responses().countDocuments({ _id: `p_${legacyLinkRef(fx.personal)}` })).toBe(1);
    // A new secret is a new run (its references are recomputed from the tokens).
    useLinkRefSecret('n'.repeat(40));
    expect(await rekeyLinksOnce('instance-b')).toMatchObject({ moved: 1 });
    // The lease was released.
    expect(
      await mongoose.connection
        .collection('meta')
        .countDocuments({ _id: 'rekey-links:lease' as never }),
    ).toBe(0);
  });

  it('waits for a live lease held by another instance, and takes an expired one', async () => {
    const { fx, tokens } = await setUp();
    await downgrade(tokens);
    const meta = mongoose.connection.collection<{ _id: string; holder?: string; until?: Date }>(
      'meta',
    );
    // This file shares one database: forget the previous test's "done" flags.
    await meta.deleteMany({ _id: { $regex: /^rekey-links:auto:/ } });
    await meta.insertOne({
      _id: 'rekey-links:lease',
      holder: 'other',
      until: new Date(Date.now() + 60_000),
    });
    expect(await rekeyLinksOnce('me')).toBeNull();
    expect(await responses().countDocuments({ _id: `p_${legacyLinkRef(fx.personal)}` })).toBe(1);
    await meta.updateOne(
      { _id: 'rekey-links:lease' },
      { $set: { until: new Date(Date.now() - 1) } },
    );
    expect(await rekeyLinksOnce('me')).toMatchObject({ moved: 1 });
  });
});

describe('questionnaire drafts', () => {
  it('are keyed by an HMAC of the token, and a draft saved under the old unkeyed id is moved once', async () => {
    const { fx } = await setUp();
    const link = (
      await fx.api.post(`/api/v1/assessments/${fx.id}/invitations`, {
        group: 'A',
        kind: 'personal',
        count: 1,
      })
    ).body[0].token as string;
    const ctx = await resolveLink(link);
    const id = draftId(ctx, 'browser');
    expect(id).toBe(draftKey(link));
    expect(id).not.toBe(legacyDraftKey(link));
    expect(id).not.toContain(createHash('sha256').update(link).digest('hex').slice(0, 40));
    useLinkRefSecret('z'.repeat(40));
    expect(draftId(ctx, 'browser')).not.toBe(id);
    useLinkRefSecret(DEV_LINK_REF_SECRET);

    // A draft an earlier version saved: found by its old id once, then only under the keyed one.
    const drafts = mongoose.connection.collection<Record<string, unknown>>('drafts');
    const now = new Date();
    await drafts.insertOne({
      _id: legacyDraftKey(link) as never,
      assessmentId: fx.id,
      values: { 'impact:T1:significance': '4' },
      lang: 'en',
      startedAt: now,
      updatedAt: now,
    });
    const found = await loadDraft(ctx, 'browser');
    expect(found?._id).toBe(id);
    expect(found?.values['impact:T1:significance']).toBe('4');
    expect(await drafts.countDocuments({ _id: legacyDraftKey(link) as never })).toBe(0);
    expect(await drafts.countDocuments({ _id: id as never })).toBe(1);
    expect((await loadDraft(ctx, 'browser'))?.values['impact:T1:significance']).toBe('4');
  });
});
