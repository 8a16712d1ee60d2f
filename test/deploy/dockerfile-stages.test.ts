import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

// No container runtime can be installed here, so this plays the Dockerfile's two stages in
// directories: the build stage gets exactly the files its COPY lines name (node_modules stands for
// `npm ci`) and runs its `npm run` steps; the runtime stage gets exactly what its COPY lines name,
// from the build stage or the project, and must start `node dist/server.js` with the production
// dependencies only (requiring a dev dependency throws, as after `npm prune --omit=dev`), answer
// /healthz and serve the matrix bundle, then stop cleanly on SIGTERM.

const ROOT = path.resolve(__dirname, '../..');
const dockerfile = fs.readFileSync(path.join(ROOT, 'scripts/deploy/Dockerfile'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

/** The stages, in order: their COPY lines and their RUN commands (continuations joined). */
function stages() {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const out: { copies: Copy[]; runs: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith('FROM ')) out.push({ copies: [], runs: [] });
    const copy = /^COPY (.+)$/.exec(line);
    if (copy) {
      const words = copy[1]!.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      out.at(-1)!.copies.push({ from, sources: paths.slice(0, -1), dest: paths.at(-1)! });
    }
    const run = /^RUN (.+)$/.exec(line);
    if (run) out.at(-1)!.runs.push(run[1]!);
  }
  return out;
}

/** Copies `c` into `dir` (the stage's WORKDIR, /app), from `base`. */
function apply(c: Copy, base: string, dir: string) {
  for (const s of c.sources) {
    const src = path.join(base, s.replace(/^\/app\/?/, ''));
    const dest = c.dest.endsWith('/')
      ? path.join(dir, c.dest, path.basename(s))
      : path.join(dir, c.dest);
    if (path.basename(src) === 'node_modules') {
      // What `npm ci` made in the build stage (a link to the project's), copied on.
      fs.symlinkSync(path.join(ROOT, 'node_modules'), dest);
      continue;
    }
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.cpSync(src, dest, { recursive: true });
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function until<T>(what: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the Dockerfile, played stage by stage', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-'));
  let after: () => Promise<void> = () => Promise.resolve();
  afterAll(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await after();
  });

  it('builds, then starts the server with production dependencies only', async () => {
    const [build, runtime] = stages();
    expect(build && runtime).toBeTruthy();

    const buildDir = path.join(tmp, 'build');
    fs.mkdirSync(buildDir);
    for (const c of build!.copies) apply(c, ROOT, buildDir);
    const steps = build!.runs.flatMap((r) => r.split('&&').map((s) => s.trim()));
    expect(steps.some((s) => s.startsWith('npm ci'))).toBe(true);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(buildDir, 'node_modules'));
    const npmRuns = steps.filter((s) => s.startsWith('npm run '));
    expect(npmRuns.length).toBeGreaterThan(0);
    for (const step of npmRuns) {
      try {
        execFileSync('npm', step.split(/\s+/).slice(1), { cwd: buildDir, stdio: 'pipe' });
      } catch (err) {
        const e = err as { stdout?: Buffer; stderr?: Buffer };
        throw new Error(
          `${step} failed in the build stage:\n${String(e.stdout)}\n${String(e.stderr)}`,
        );
      }
    }

    const appDir = path.join(tmp, 'app');
    fs.mkdirSync(appDir);
    for (const c of runtime!.copies) apply(c, c.from === 'build' ? buildDir : ROOT, appDir);

    // After `npm prune --omit=dev`, a dev dependency is not there to require.
    const guard = path.join(tmp, 'no-dev-deps.js');
    fs.writeFileSync(
      guard,
      `const Module = require('node:module');
const dev = new Set(${JSON.stringify(Object.keys(pkg.devDependencies))});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const name = request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0];
  if (dev.has(name)) throw new Error('dev dependency required at run time: ' + request);
  return resolve.call(this, request, ...rest);
};`,
    );
    const port = await freePort();
    const dbName = `docker_${crypto.randomBytes(4).toString('hex')}`;
    const server = spawn(process.execPath, ['dist/server.js'], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH,
        NODE_OPTIONS: `--require ${guard}`,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        MONGODB_URI: process.env.TEST_MONGODB_URI,
        DB_NAME: dbName,
        SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
        LINK_REF_SECRET: crypto.randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await Promise.race([
        until(async () => {
          const r = await fetch(`${base}/healthz`);
          return r.status === 200 ? r.json() : undefined;
        }, 60_000),
        exited.then((code) => {
          throw new Error(`server exited (${code}): ${output}`);
        }),
      ]);
      expect(health).toEqual({ status: 'ok' });
      // Pages render (views/ and the locales are there).
      const login = await fetch(`${base}/login`);
      expect(login.status).toBe(200);
      expect(await login.text()).toMatch(/<form[^>]+method="post"/i);
      // The matrix page's bundle was built in the build stage and copied (the runtime stage has no
      // esbuild to build it).
      const bundle = path.join(appDir, 'build/assets/echarts-matrix.js');
      expect(fs.statSync(bundle).size).toBeGreaterThan(100_000);
      expect(output).not.toMatch(/dev dependency required/);
    } finally {
      server.kill('SIGTERM');
    }
    // The database the server made (its indexes, its counting lease) goes once it has stopped.
    after = async () => {
      const client = await MongoClient.connect(process.env.TEST_MONGODB_URI!);
      await client.db(dbName).dropDatabase();
      await client.close();
    };
    expect(await exited).toBe(0);

    // The command line runs in the image too (README: `docker compose exec app1 node dist/cli/index.js`).
    const help = execFileSync(process.execPath, ['dist/cli/index.js', '--help'], {
      cwd: appDir,
      env: { PATH: process.env.PATH, NODE_OPTIONS: `--require ${guard}`, NODE_ENV: 'production' },
    }).toString();
    expect(help).toContain('users:create');
    expect(help).toContain('results:rebuild');
  }, 240_000);
});
