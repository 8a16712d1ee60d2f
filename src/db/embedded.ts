import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';
import { PROJECT_ROOT } from '../shared/paths';

// Plain JS so that `.ci/run` and `npm run build:db` can build before TypeScript is compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require(path.join(PROJECT_ROOT, 'scripts/build-embedded-db.js')) as {
  ensureEmbeddedDbBinary(opts: { cacheRoot?: string; log?: (m: string) => void }): string;
};

export const PORT_FILE = 'embedded-db.port';
const LOCKED_EXIT = 3;

export interface EmbeddedDb {
  uri: string;
  port: number;
  /** false when another process's launcher already served this data directory */
  owned: boolean;
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  cacheRoot?: string;
  log?: (msg: string) => void;
  startTimeoutMs?: number;
  /** a fixed loopback port (default: a free one) */
  port?: number;
}

export async function startEmbeddedDb(opts: EmbeddedOptions): Promise<EmbeddedDb> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const bin = builder.ensureEmbeddedDbBinary({ cacheRoot: opts.cacheRoot, log });
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const deadline = Date.now() + (opts.startTimeoutMs ?? 20000);

  const running = await runningPort(dataDir);
  if (running) return borrowed(running);

  const port = opts.port ?? (await freePort());
  const child = spawn(bin, ['--data', dataDir, '--port', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', (d: Buffer) => log(`embedded-db: ${d.toString().trim()}`));
  const first = await firstLine(child, deadline);
  if (first.startsWith('READY')) {
    const actual = Number(first.split(' ')[1]);
    await waitForPing(actual, deadline);
    return owned(child, actual);
  }
  if (first.startsWith('LOCKED')) {
    // Another process started a launcher on this directory a moment ago: use that one.
    while (Date.now() < deadline) {
      const p = await runningPort(dataDir);
      if (p) return borrowed(p);
      await sleep(100);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`embedded database did not start (${first || 'no output'})`);
}

function uriFor(port: number): string {
  return `mongodb://127.0.0.1:${port}/?directConnection=true`;
}

function borrowed(port: number): EmbeddedDb {
  return { uri: uriFor(port), port, owned: false, pid: undefined, stop: async () => undefined };
}

function owned(child: ChildProcess, port: number): EmbeddedDb {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    uri: uriFor(port),
    port,
    owned: true,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end(); // the launcher shuts down cleanly when its stdin closes
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function runningPort(dataDir: string): Promise<number | null> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, PORT_FILE), 'utf8');
  } catch {
    return null;
  }
  const port = Number(text.trim());
  if (!Number.isInteger(port) || port <= 0) return null;
  return (await ping(port, 1500)) ? port : null;
}

export async function ping(port: number, timeoutMs: number): Promise<boolean> {
  const client = new MongoClient(uriFor(port), { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function waitForPing(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (await ping(port, 1000)) return;
    await sleep(100);
  }
  throw new Error('embedded database did not answer ping in time');
}

function firstLine(child: ChildProcess, deadline: number): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => finish(''), Math.max(0, deadline - Date.now()));
    const finish = (line: string) => {
      clearTimeout(timer);
      rl.close();
      child.stdout?.resume(); // keep draining so the launcher never blocks on a full pipe
      resolve(line);
    };
    rl.once('line', (line) => finish(line.trim()));
    child.once('exit', (code) => finish(code === LOCKED_EXIT ? 'LOCKED' : ''));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
