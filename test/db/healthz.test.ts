import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { connectMongoose, settlesWithin } from '../../src/db/database';
import { startEmbeddedDb, EmbeddedDb } from '../../src/db/embedded';
import { makeApp } from '../helpers/app';

// A private launcher, so that stopping it does not disturb the other test files.
describe('/healthz', () => {
  let dir: string;
  let db: EmbeddedDb;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-health-'));
    db = await startEmbeddedDb({ dataDir: dir });
    await connectMongoose(db.uri, 'health');
  });
  afterAll(async () => {
    await mongoose.disconnect();
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives up on a ping that never answers once its time is up (the health check cannot hang)', async () => {
    jest.useFakeTimers();
    try {
      const never = new Promise<boolean>(() => undefined);
      let settled: boolean | undefined;
      const check = settlesWithin(never, 1500, false).then((v) => (settled = v));
      await jest.advanceTimersByTimeAsync(1499);
      expect(settled).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      await check;
      expect(settled).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('passes on the value of a ping that answers in time', async () => {
    await expect(settlesWithin(Promise.resolve(true), 1500, false)).resolves.toBe(true);
  });

  it('answers 200 while the database answers, 503 within 2 s when it stops, and 200 after a restart', async () => {
    const app = makeApp({ MONGODB_URI: db.uri });
    const ok = await request(app).get('/healthz');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'ok' });

    const port = db.port;
    await db.stop();
    const down = await request(app).get('/healthz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable' });

    db = await startEmbeddedDb({ dataDir: dir, port });
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await request(app).get('/healthz')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  }, 30000);
});
