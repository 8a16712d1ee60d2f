import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';
import { PROJECT_ROOT } from '../shared/paths';

// Plain JS so that `.ci/run` and `npm run build:db` can build before TypeScript is compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script outside the compiled tree, found from the project root at run time (src/ and dist/ sit at different depths)
const builder = require(path.join(PROJECT_ROOT, 'scripts/build-embedded-db.js')) as {
  ensureEmbeddedDbBinary(opts: { cacheRoot?: string; log?: (m: string) => void }): string;
};

export const PORT_FILE = 'embedded-db.port';
const LOCKED_EXIT = 3;

/** Restart back-off: 100 ms, doubling up to 2 s while the launcher keeps dying young. */
export const RESTART_FIRST_DELAY_MS = 100;
export const RESTART_MAX_DELAY_MS = 2000;
/** A launcher that ran this long before it died restarts after the first delay again. */
const HEALTHY_UPTIME_MS = 10_000;
/** How often a process that uses another process's launcher checks that it still listens. */
export const BORROWER_CHECK_MS = 1000;
/** The launcher drains for up to 5 s and closes FerretDB for up to 3 s; then it is killed. */
const STOP_KILL_AFTER_MS = 10_000;

export interface EmbeddedDb {
  uri: string;
  port: number;
  /** false while another process's launcher serves this data directory */
  readonly owned: boolean;
  /** the launcher's pid while this process runs it (it changes when the launcher is restarted) */
  readonly pid: number | undefined;
  /** the SQLite settings the launcher reported (owned launchers only) */
  readonly sqlite: string | undefined;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  cacheRoot?: string;
  log?: (msg: string) => void;
  startTimeoutMs?: number;
  /** a fixed loopback port (default: a free one) */
  port?: number;
  /**
   * Restart a launcher that dies, on the same data directory and port, and take over one whose
   * owner went away (default true). Off, a dead launcher stays dead (tests of the outage itself).
   */
  autoRestart?: boolean;
}

export async function startEmbeddedDb(opts: EmbeddedOptions): Promise<EmbeddedDb> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const bin = builder.ensureEmbeddedDbBinary({ cacheRoot: opts.cacheRoot, log });
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const deadline = Date.now() + (opts.startTimeoutMs ?? 20000);
  const launcher = new Launcher(bin, dataDir, log, opts.autoRestart ?? true);

  const running = await runningPort(dataDir);
  if (running) return launcher.borrow(running);

  const port = opts.port ?? (await freePort());
  const started = await spawnLauncher(bin, dataDir, port, deadline, log);
  if (started.kind === 'ready') {
    await waitForPing(started.port, deadline).catch((err) => {
      started.child.kill('SIGKILL');
      throw err;
    });
    return launcher.own(started);
  }
  if (started.kind === 'locked') {
    // Another process started a launcher on this directory a moment ago: use that one.
    while (Date.now() < deadline) {
      const p = await runningPort(dataDir);
      if (p) return launcher.borrow(p);
      await sleep(100);
    }
  }
  throw new Error(
    `embedded database did not start (${started.kind === 'failed' ? started.reason : 'locked'})`,
  );
}

/**
 * One data directory's launcher as seen from this process. Owned: this process runs it and
 * restarts it when it dies. Borrowed: another process runs it; when it stops listening (its owner
 * died or stopped), this process starts one itself on the same port, so the mongoose connection's
 * driver reconnects to the address it knows.
 */
class Launcher implements EmbeddedDb {
  uri = '';
  port = 0;
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private delay = RESTART_FIRST_DELAY_MS;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private reported: string | undefined;
  private movedWarned = false;

  constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    private readonly log: (msg: string) => void,
    private readonly autoRestart: boolean,
  ) {}

  get owned() {
    return this.child !== undefined;
  }
  get pid() {
    const c = this.child;
    return c && c.exitCode === null && c.signalCode === null ? c.pid : undefined;
  }
  get sqlite() {
    return this.child ? this.reported : undefined;
  }

  own(started: Ready): this {
    this.setPort(started.port);
    this.adopt(started);
    return this;
  }

  borrow(port: number): this {
    this.setPort(port);
    this.child = undefined;
    this.watchOwner();
    return this;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end(); // the launcher finishes the messages it has read, then exits
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_KILL_AFTER_MS);
    await exited;
    clearTimeout(kill);
  }

  private setPort(port: number) {
    this.port = port;
    this.uri = uriFor(port);
  }

  private adopt({ child, sqlite }: Ready) {
    this.child = child;
    this.reported = sqlite;
    this.startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      if (this.stopping || !this.autoRestart) return;
      const uptime = Date.now() - this.startedAt;
      this.delay = uptime >= HEALTHY_UPTIME_MS ? RESTART_FIRST_DELAY_MS : this.delay;
      this.log(
        `embedded database launcher (pid ${child.pid}) exited (${signal ?? `code ${code}`}); restarting it in ${this.delay} ms`,
      );
      this.scheduleRestart(Date.now());
    });
  }

  private scheduleRestart(downSince: number) {
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, RESTART_MAX_DELAY_MS);
    this.timer = setTimeout(() => void this.restart(downSince), wait);
    this.timer.unref();
  }

  private async restart(downSince: number) {
    if (this.stopping) return;
    const started = await spawnLauncher(
      this.bin,
      this.dataDir,
      this.port,
      Date.now() + 20000,
      this.log,
    );
    if (this.stopping) {
      if (started.kind === 'ready') started.child.stdin?.end();
      return;
    }
    if (started.kind === 'ready') {
      this.adopt(started);
      this.log(
        `embedded database launcher restarted (pid ${started.child.pid}, port ${this.port}) ${Date.now() - downSince} ms after it died`,
      );
      return;
    }
    if (started.kind === 'locked') {
      // Another process took the directory in the meantime (a borrower taking over): use its launcher.
      this.log(
        'embedded database: another process now runs the launcher of this data directory; using it',
      );
      this.borrow(this.port);
      return;
    }
    this.log(
      `embedded database launcher did not restart${started.logged ? '' : ` (${started.reason})`}; trying again in ${this.delay} ms`,
    );
    this.scheduleRestart(downSince);
  }

  /** Borrowed: check the launcher still listens; when it does not, start one on the same port. */
  private watchOwner() {
    if (!this.autoRestart || this.stopping) return;
    this.timer = setTimeout(() => void this.checkOwner(), BORROWER_CHECK_MS);
    this.timer.unref();
  }

  private async checkOwner() {
    if (this.stopping || this.child) return;
    if (await listens(this.port, 500)) return this.watchOwner();
    const started = await spawnLauncher(
      this.bin,
      this.dataDir,
      this.port,
      Date.now() + 20000,
      this.log,
    );
    if (this.stopping) {
      if (started.kind === 'ready') started.child.stdin?.end();
      return;
    }
    if (started.kind === 'ready') {
      this.adopt(started);
      this.delay = RESTART_FIRST_DELAY_MS;
      this.log(
        `embedded database: the launcher on port ${this.port} was gone; this process runs it now (pid ${started.child.pid})`,
      );
      return;
    }
    if (
      started.kind === 'locked' &&
      started.port &&
      started.port !== this.port &&
      !this.movedWarned
    ) {
      this.movedWarned = true;
      this.log(
        `embedded database: the data directory is now served on port ${started.port}, not ${this.port}; restart this process to follow it`,
      );
    }
    this.watchOwner();
  }
}

interface Ready {
  kind: 'ready';
  child: ChildProcess;
  port: number;
  sqlite: string | undefined;
}
type Started =
  | Ready
  | { kind: 'locked'; port: number | undefined }
  | { kind: 'failed'; reason: string; logged?: boolean };

/** Starts a launcher and waits for its first line: READY (it listens), LOCKED, or nothing (it failed). */
async function spawnLauncher(
  bin: string,
  dataDir: string,
  port: number,
  deadline: number,
  log: (m: string) => void,
): Promise<Started> {
  let child: ChildProcess;
  try {
    child = spawn(bin, ['--data', dataDir, '--port', String(port)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    return { kind: 'failed', reason: (err as Error).message };
  }
  let stderr = '';
  child.on('error', (err) => {
    // e.g. the binary is gone: no first line follows, so it counts as a failed start
    stderr = err.message;
    log(`embedded-db: ${err.message}`);
  });
  child.stdin?.on('error', () => undefined); // writing to a launcher that died must not crash us
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString().trim();
    stderr = text;
    log(`embedded-db: ${text}`);
  });
  const first = await firstLine(child, deadline);
  const [word, value, ...settings] = first.split(' ');
  if (word === 'READY')
    return { kind: 'ready', child, port: Number(value), sqlite: settings.join(' ') || undefined };
  if (word === 'LOCKED') return { kind: 'locked', port: Number(value) || undefined };
  child.kill('SIGKILL');
  return { kind: 'failed', reason: stderr || first || 'no output', logged: stderr !== '' };
}

function uriFor(port: number): string {
  return `mongodb://127.0.0.1:${port}/?directConnection=true`;
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
  // A port file left by a launcher that was killed names a closed port: say so at once.
  return (await listens(port, 500)) && (await ping(port, 1500)) ? port : null;
}

export async function ping(port: number, timeoutMs: number): Promise<boolean> {
  const client = new MongoClient(uriFor(port), {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Whether something accepts TCP connections on the loopback port (cheaper than a ping, for polling). */
function listens(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
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
