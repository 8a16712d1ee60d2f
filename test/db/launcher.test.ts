import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDb, ping, PORT_FILE } from '../../src/db/embedded';
import { useTestDb } from '../helpers/db';

useTestDb();

// These run against the real launcher (the suite's shared embedded database, or a private one).
// The index fix and the lock concern the embedded engine only: under MONGODB_URI (a real MongoDB)
// these two tests are skipped, and their names say so.
const onEmbeddedEngine = process.env.MONGODB_URI ? it.skip : it;
const EMBEDDED_ONLY = '(embedded engine only: skipped when MONGODB_URI is set)';

describe('embedded database launcher', () => {
  it('keeps 200 concurrent $inc on one document exact', async () => {
    const c = mongoose.connection.collection<{ _id: string; n: number }>('counters');
    await c.insertOne({ _id: 'c', n: 0 });
    await Promise.all(
      Array.from({ length: 200 }, () => c.updateOne({ _id: 'c' }, { $inc: { n: 1 } })),
    );
    expect((await c.findOne({ _id: 'c' }))?.n).toBe(200);
  });

  it('lets exactly one of 20 concurrent conditional updates win', async () => {
    const c = mongoose.connection.collection<{ _id: string; state: string }>('links');
    await c.insertOne({ _id: 'l', state: 'open' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        c.updateOne({ _id: 'l', state: 'open' }, { $set: { state: 'used' } }),
      ),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
  });

  const plan = async (coll: string) => {
    await mongoose.connection.collection(coll).findOne({ _id: 'k1' as never });
    const r = await mongoose.connection.db!.command({
      explain: { find: coll, filter: { _id: 'k1' } },
    });
    return JSON.stringify(r.queryPlanner);
  };

  onEmbeddedEngine(
    `adds the _id expression index to a new collection and to one dropped and recreated ${EMBEDDED_ONLY}`,
    async () => {
      const c = mongoose.connection.collection<{ _id: string }>('fresh');
      await c.insertOne({ _id: 'k1' });
      expect(await plan('fresh')).toMatch(/USING INDEX \S+__id_expr/);
      await c.drop();
      await mongoose.connection.db!.createCollection('fresh');
      await c.insertOne({ _id: 'k1' });
      expect(await plan('fresh')).toMatch(/USING INDEX \S+__id_expr/);
    },
  );
});

describe('launcher serialisation', () => {
  onEmbeddedEngine(
    `answers a ping while a long collection scan holds the lock ${EMBEDDED_ONLY}`,
    async () => {
      const c = mongoose.connection.collection<{ _id: string; v: number }>('scanned');
      for (let i = 0; i < 60; i++) {
        await c.insertMany(Array.from({ length: 1000 }, (_, j) => ({ _id: `s${i}-${j}`, v: j })));
      }
      const order: string[] = [];
      const scan = c.countDocuments({ v: -1 }).then(() => order.push('scan'));
      await new Promise((r) => setTimeout(r, 150)); // let the scan reach the launcher first
      const ping = mongoose.connection.db!.command({ ping: 1 }).then(() => order.push('ping'));
      await Promise.all([scan, ping]);
      expect(order).toEqual(['ping', 'scan']);
    },
  );
});

describe('launcher lifecycle', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-launcher-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lets a second process connect to the launcher already running on a data directory', async () => {
    const first = await startEmbeddedDb({ dataDir: dir });
    try {
      expect(first.owned).toBe(true);
      const child = runChild(dir); // as `npm run cli` beside `npm start`
      const info = await child.info;
      expect(info).toEqual({ owned: false, port: first.port });
      child.proc.kill('SIGKILL');
      expect(await ping(first.port, 2000)).toBe(true); // the borrower leaving does not stop it
    } finally {
      await first.stop();
    }
    expect(fs.existsSync(path.join(dir, PORT_FILE))).toBe(false);
  });

  it('stops when the process that started it is killed', async () => {
    const child = runChild(dir);
    const info = await child.info;
    expect(info.owned).toBe(true);
    expect(await ping(info.port, 2000)).toBe(true);
    child.proc.kill('SIGKILL');
    expect(await waitFor(async () => !(await ping(info.port, 300)), 10000)).toBe(true);
    // The directory is free again: a new launcher can own it.
    const again = await startEmbeddedDb({ dataDir: dir });
    expect(again.owned).toBe(true);
    await again.stop();
  });
});

const ROOT = path.resolve(__dirname, '../..');

function runChild(dataDir: string) {
  const src = `
    const { startEmbeddedDb } = require(${JSON.stringify(path.join(ROOT, 'src/db/embedded.ts'))});
    startEmbeddedDb({ dataDir: ${JSON.stringify(dataDir)}, log: () => {} }).then((db) => {
      process.stdout.write(JSON.stringify({ owned: db.owned, port: db.port }) + '\\n');
      setInterval(() => {}, 1000);
    });
  `;
  const proc = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'test/helpers/ts-register.js'), '-e', src],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const info = new Promise<{ owned: boolean; port: number }>((resolve, reject) => {
    proc.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
    proc.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  return { proc, info };
}

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}
