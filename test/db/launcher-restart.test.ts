import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDb, ping, EmbeddedDb } from '../../src/db/embedded';

// The launcher's own life cycle, each on a private data directory (never the suite's shared one):
// how it stops, how a process that only borrows it takes over, and what SQLite is told about
// durability. Embedded engine only: under MONGODB_URI there is no launcher, and the names say so.
const onEmbeddedEngine = process.env.MONGODB_URI ? describe.skip : describe;
const ROOT = path.resolve(__dirname, '../..');

onEmbeddedEngine(
  'launcher restart and shutdown (embedded engine only: skipped when MONGODB_URI is set)',
  () => {
    let dir: string;
    const dbs: EmbeddedDb[] = [];
    const clients: MongoClient[] = [];
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-restart-'));
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
      await Promise.all(dbs.splice(0).map((d) => d.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const start = async (port?: number) => {
      const db = await startEmbeddedDb({
        dataDir: dir,
        port,
        cacheRoot: process.env.EMBEDDED_DB_CACHE,
        log: () => undefined,
        autoRestart: false,
      });
      dbs.push(db);
      return db;
    };
    const connect = async (port: number, minPoolSize = 0) => {
      const client = await MongoClient.connect(
        `mongodb://127.0.0.1:${port}/?directConnection=true`,
        { serverSelectionTimeoutMS: 2000, maxPoolSize: 20, minPoolSize },
      );
      clients.push(client);
      return client;
    };

    it('answers the messages it has already read before it stops, and reads no new one', async () => {
      const db = await start();
      const client = await connect(db.port, 10); // idle connections stay open for the late message
      const big = client.db('drain').collection<{ _id: string; v: number }>('big');
      for (let i = 0; i < 60; i++)
        await big.insertMany(Array.from({ length: 1000 }, (_, j) => ({ _id: `b${i}-${j}`, v: j })));
      const writes = client.db('drain').collection<{ _id: string }>('writes');
      await writes.insertOne({ _id: 'warm-up' }); // the collection exists: no index work below

      const order: string[] = [];
      const scanStarted = Date.now();
      const scan = big.countDocuments({ v: -1 }).then((n) => {
        order.push('scan');
        return n;
      });
      await new Promise((r) => setTimeout(r, 200)); // the scan holds the launcher's lock now
      const queued = Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          writes.insertOne({ _id: `w${i}` }).then((r) => (order.push(`w${i}`), r.acknowledged)),
        ),
      );
      await new Promise((r) => setTimeout(r, 100)); // the launcher has read them; they wait for the lock
      order.push('stop');
      const stopped = db.stop(); // closes its stdin, as when the app exits
      await new Promise((r) => setTimeout(r, 100));
      // A message sent after the stop is not read any more (its connection is closed, and no new
      // one is accepted), while the ones read before it are answered.
      const late = writes.insertOne({ _id: 'late' }).then(
        () => 'stored',
        (err: Error) => err.name,
      );
      expect(await scan).toBe(0);
      expect(await queued).toEqual([true, true, true, true, true]);
      expect(await late).not.toBe('stored');
      await stopped;
      console.log(`scan ran ${Date.now() - scanStarted} ms; order: ${order.join(', ')}`);
      expect(order[0]).toBe('stop'); // the stop came while every one of them was still in flight
      expect(await ping(db.port, 500)).toBe(false);

      const again = await start(db.port);
      const reopened = await connect(again.port);
      const stored = await reopened.db('drain').collection('writes').find({}).toArray();
      expect(stored.map((d) => d._id).sort()).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'warm-up']);
    }, 60000);

    it('is taken over by a process that borrowed it when its owner dies, on the same port', async () => {
      const owner = runOwner(dir);
      const { port } = await owner.info;
      const borrowed = await startEmbeddedDb({ dataDir: dir, log: () => undefined });
      dbs.push(borrowed);
      expect(borrowed.owned).toBe(false);
      expect(borrowed.port).toBe(port);
      const client = await connect(port);
      await client
        .db('takeover')
        .collection('notes')
        .insertOne({ _id: 'n1' as never, text: 'before' });

      owner.proc.kill('SIGKILL'); // its launcher exits when its stdin closes
      expect(await waitUntil(async () => borrowed.owned && (await ping(port, 500)))).toBe(true);
      expect(borrowed.pid).toBeDefined();
      // The same client (the same address) carries on once its driver has reconnected.
      expect(
        await waitUntil(
          async () =>
            (
              await client
                .db('takeover')
                .collection('notes')
                .findOne({ _id: 'n1' as never })
                .catch(() => null)
            )?.text === 'before',
        ),
      ).toBe(true);
    }, 60000);

    it('runs SQLite in WAL mode with synchronous=FULL', async () => {
      const db = await start();
      expect(db.sqlite).toBe('journal_mode=wal synchronous=full');
      const client = await connect(db.port);
      await client.db('durable').collection('c').insertOne({ x: 1 });
      // The journal mode is stored in the database file's header (bytes 18 and 19 are 2 for WAL).
      const header = Buffer.alloc(20);
      const fd = fs.openSync(path.join(dir, 'durable.sqlite'), 'r');
      fs.readSync(fd, header, 0, 20, 0);
      fs.closeSync(fd);
      expect([header[18], header[19]]).toEqual([2, 2]);
    });
  },
);

/** A separate process that starts (owns) the launcher of `dataDir`, as `npm start` beside a CLI. */
function runOwner(dataDir: string) {
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
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const info = new Promise<{ owned: boolean; port: number }>((resolve, reject) => {
    proc.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
    proc.once('exit', (code) => reject(new Error(`owner exited ${code}`)));
  });
  return { proc, info };
}

async function waitUntil(cond: () => Promise<boolean>, ms = 15000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}
