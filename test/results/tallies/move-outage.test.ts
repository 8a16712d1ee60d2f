import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { connectMongoose } from '../../../src/db/database';
import { startEmbeddedDb, type EmbeddedDb } from '../../../src/db/embedded';
import { clearHookPoints, onHookPoint } from '../../../src/db/faults';
import { countNow, countSoon } from '../../../src/results/tallies/counter';
import { rebuildTallies } from '../../../src/results/tallies/rebuild.service';
import { getStats } from '../../../src/results/tallies/tally.service';
import { apiClient, fullAnswers } from '../../helpers/api';
import { makeApp } from '../../helpers/app';

// The database dies while the counter moves a batch of submissions from the inbox to `responses`,
// and is back before the counter's next write. The driver reports the lost insert as a bulk write
// error with no write errors; read as "only duplicates", the counter once counted the batch and
// emptied the inbox although nothing was stored (the load test lost 52-271 acknowledged responses
// that way). A private launcher is killed with SIGKILL (the suite's shared one is never touched).
const onEmbeddedEngine = process.env.MONGODB_URI ? describe.skip : describe;

onEmbeddedEngine('the database dies in the middle of a move (embedded engine only)', () => {
  let dir: string;
  let db: EmbeddedDb;
  const launcherLog: string[] = [];

  const start = (port?: number) =>
    startEmbeddedDb({ dataDir: dir, port, log: (m) => launcherLog.push(m), autoRestart: false });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-move-outage-'));
    db = await start();
    await connectMongoose(db.uri, 'moveoutage');
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  });

  afterEach(() => clearHookPoints());

  afterAll(async () => {
    await mongoose.disconnect();
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 to submissions whose grouped inbox insert meets a dead database, never 500', async () => {
    const app = makeApp({ MONGODB_URI: db.uri, SUBMIT_MAX_PER_MINUTE: '1000' });
    const { id, token, answers } = await openSurvey(app, 'Insert outage');
    const post = () => request(app).post(`/api/v1/survey/${token}`).send({ answers });
    expect((await post()).status).toBe(201); // connections made, link and assessment cached
    onHookPoint(
      'inbox.beforeWrite',
      async () => {
        if (!db.pid) return;
        process.kill(db.pid, 'SIGKILL');
        await until(() => Promise.resolve(db.pid === undefined));
      },
      3,
    );
    const sent = await Promise.all([post(), post(), post()]);
    expect(sent.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(sent[0].body.error.code).toBe('database_unavailable');
    clearHookPoints();
    db = await start(db.port);
    await until(ping);
    await countNow();
    expect(
      await mongoose.connection.collection('responses').countDocuments({ assessmentId: id }),
    ).toBe(1);
  });

  it('leaves the batch in the inbox, uncounted, and the next round stores and counts it once', async () => {
    const app = makeApp({ MONGODB_URI: db.uri, SUBMIT_MAX_PER_MINUTE: '1000' });
    const api = await apiClient(app, 'analyst');
    const id = (
      await api.post('/api/v1/assessments', {
        name: 'Move outage',
        reportingYear: 2026,
        template: 'xiaomi-2024',
      })
    ).body.id as string;
    expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(
      200,
    );
    const token = (
      await api.post(`/api/v1/assessments/${id}/invitations`, {
        group: 'users',
        kind: 'open',
      })
    ).body[0].token as string;
    const answers = fullAnswers((await request(app).get(`/api/v1/survey/${token}`)).body);

    // Kill the launcher just before the move's insert; bring it back (same port, so the driver
    // reconnects) if the counter gets past the move, before its next write.
    let killed = false;
    let revivedAfterMove = false;
    onHookPoint('tally.beforeMove', async () => {
      const pid = db.pid!;
      process.kill(pid, 'SIGKILL');
      await until(() => Promise.resolve(db.pid === undefined));
      killed = true;
    });
    onHookPoint('tally.afterMove', async () => {
      db = await start(db.port);
      await until(ping);
      revivedAfterMove = true;
    });
    const sent = await request(app).post(`/api/v1/survey/${token}`).send({ answers });
    expect(sent.status).toBe(201);
    const responseId = sent.body.responseId as string;
    // The round the submission started (it holds the killed insert) and the one queued after it.
    await until(() => Promise.resolve(killed));
    await countSoon().catch(() => false);
    await countSoon().catch(() => false);

    expect(revivedAfterMove).toBe(false); // the failed move stopped the round there
    if (!db.pid) db = await start(db.port);
    await until(ping);
    clearHookPoints();
    await countNow();

    const responses = mongoose.connection.collection('responses');
    expect(await responses.countDocuments({ assessmentId: id })).toBe(1);
    expect(await responses.findOne({ _id: responseId as never })).not.toBeNull();
    expect(await mongoose.connection.collection('inbox').countDocuments({})).toBe(0);
    const counted = await getStats(id);
    expect(counted.responses.total).toBe(1);
    await rebuildTallies(id);
    const truth = await getStats(id);
    expect({ responses: counted.responses, tallies: counted.tallies }).toEqual({
      responses: truth.responses,
      tallies: truth.tallies,
    });
  });
});

async function openSurvey(app: ReturnType<typeof makeApp>, name: string) {
  const api = await apiClient(app, 'analyst');
  const id = (
    await api.post('/api/v1/assessments', { name, reportingYear: 2026, template: 'xiaomi-2024' })
  ).body.id as string;
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const token = (
    await api.post(`/api/v1/assessments/${id}/invitations`, { group: 'users', kind: 'open' })
  ).body[0].token as string;
  const answers = fullAnswers((await request(app).get(`/api/v1/survey/${token}`)).body);
  return { id, token, answers };
}

async function ping(): Promise<boolean> {
  return mongoose.connection.db!.command({ ping: 1 }).then(
    () => true,
    () => false,
  );
}

async function until(cond: () => Promise<boolean>, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
