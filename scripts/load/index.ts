import crypto from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { freePort } from '../../src/db/embedded';
import { setUp, verify } from './setup';

// `npm run test:load`: respondents on personal and open links for DURATION seconds against one app
// instance on the embedded database, with the app SIGKILLed and restarted twice and the launcher
// SIGKILLed once. Afterwards every 201 must be stored exactly once, the counters must equal a full
// rebuild in every figure, and nothing but 503 (or a refused connection) may answer during outages.
// `--short` is the CI form (fewer respondents, 30 s).

const short = process.argv.includes('--short');
const DURATION_S = Number(process.env.LOAD_SECONDS ?? (short ? 30 : 60));
const RESPONDENTS = Number(process.env.LOAD_RESPONDENTS ?? (short ? 50 : 200));

interface Outcome {
  status: number; // 0 = no answer (connection refused or cut)
  ms: number;
  at: number;
}

function startApp(
  port: number,
  dataDir: string,
): Promise<{ child: ChildProcess; launcherPid: number | undefined }> {
  const child = fork(path.join(__dirname, 'app-child.js'), [String(port), dataDir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ready?: boolean; launcherPid?: number }) =>
      resolve({ child, launcherPid: m.launcherPid }),
    );
    child.once('exit', (code) => reject(new Error(`app exited ${code}`)));
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-load-'));
  const port = await freePort();
  const { tokens, assessmentId, bodies } = await setUp(dataDir, RESPONDENTS * DURATION_S * 3);
  let app = await startApp(port, dataDir);
  const base = `http://127.0.0.1:${port}`;
  const outcomes: Outcome[] = [];
  const acked = new Map<string, string>(); // submissionId -> responseId
  const t0 = Date.now();
  const end = t0 + DURATION_S * 1000;
  let nextPersonal = 0;

  async function submit(token: string, body: string): Promise<Outcome & { responseId?: string }> {
    const started = Date.now();
    try {
      const r = await fetch(`${base}/api/v1/survey/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const json = (await r.json().catch(() => ({}))) as { responseId?: string };
      return {
        status: r.status,
        ms: Date.now() - started,
        at: started - t0,
        responseId: json.responseId,
      };
    } catch {
      return { status: 0, ms: Date.now() - started, at: started - t0 };
    }
  }

  // A respondent submits, and retries the same submission (same submissionId) until it is answered.
  async function respondent(i: number) {
    while (Date.now() < end) {
      const personal = i % 2 === 0 && nextPersonal < tokens.personal.length;
      const token = personal ? tokens.personal[nextPersonal++]! : tokens.open;
      const submissionId = crypto.randomUUID();
      const body = JSON.stringify({ answers: bodies[i % bodies.length], submissionId });
      for (let attempt = 0; attempt < 100; attempt++) {
        const o = await submit(token, body);
        outcomes.push(o);
        if (o.status === 201 && o.responseId) {
          acked.set(submissionId, o.responseId);
          break;
        }
        if (o.status === 409) break; // a personal link that was stored: the retry is told so
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  const recoveries: { what: string; ms: number }[] = [];
  const firstSuccessAfter = async (what: string, since: number) => {
    while (Date.now() < end + 30_000) {
      if (outcomes.some((o) => o.status === 201 && o.at + t0 >= since))
        return recoveries.push({ what, ms: Date.now() - since });
      await new Promise((r) => setTimeout(r, 50));
    }
    recoveries.push({ what, ms: NaN });
  };
  const killApp = async (what: string) => {
    const since = Date.now();
    app.child.kill('SIGKILL');
    await new Promise((r) => app.child.once('exit', r));
    app = await startApp(port, dataDir);
    await firstSuccessAfter(what, since);
  };
  const killLauncher = async () => {
    const since = Date.now();
    if (app.launcherPid) process.kill(app.launcherPid, 'SIGKILL');
    await firstSuccessAfter('launcher SIGKILL', since);
  };
  const chaos = (async () => {
    const at = (f: number) =>
      new Promise((r) => setTimeout(r, Math.max(0, t0 + f * DURATION_S * 1000 - Date.now())));
    await at(0.25);
    await killApp('app SIGKILL 1');
    await at(0.5);
    app.launcherPid = await new Promise<number | undefined>((resolve) => {
      app.child.once('message', (m: { launcherPid?: number }) => resolve(m.launcherPid));
      app.child.send({ ask: 'launcherPid' });
    });
    await killLauncher();
    await at(0.75);
    await killApp('app SIGKILL 2');
  })();

  await Promise.all([...Array.from({ length: RESPONDENTS }, (_, i) => respondent(i)), chaos]);
  const elapsed = (Date.now() - t0) / 1000;
  app.child.kill('SIGTERM');
  await new Promise((r) => app.child.once('exit', r));

  const ok = outcomes.filter((o) => o.status === 201);
  const fiveXX = outcomes.filter((o) => o.status >= 500 && o.status !== 503);
  const report = await verify(dataDir, assessmentId, [...acked.values()]);
  console.log(
    `load: ${RESPONDENTS} respondents for ${elapsed.toFixed(0)} s; ${ok.length} submissions stored (${(ok.length / elapsed).toFixed(0)}/s)`,
  );
  console.log(
    `load: latency of 201s: median ${pct(
      ok.map((o) => o.ms),
      50,
    )} ms, p95 ${pct(
      ok.map((o) => o.ms),
      95,
    )} ms, p99 ${pct(
      ok.map((o) => o.ms),
      99,
    )} ms`,
  );
  console.log(
    `load: answers: ${Object.entries(
      outcomes.reduce<Record<string, number>>(
        (m, o) => ((m[o.status || 'none'] = (m[o.status || 'none'] ?? 0) + 1), m),
        {},
      ),
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
  );
  console.log(
    `load: recovery (kill to the next 201): ${recoveries.map((r) => `${r.what} ${r.ms} ms`).join('; ')}`,
  );
  console.log(
    `load: acknowledged ${acked.size}, stored ${report.stored}, acknowledged but missing ${report.missing}, counted ${report.counted}, figures differing from a full rebuild ${report.differences}, answer blocks ${report.blocksDiffer ? 'DIFFER' : 'match'}`,
  );
  const failures = [
    fiveXX.length ? `${fiveXX.length} answers were 5xx other than 503` : '',
    report.missing ? `${report.missing} acknowledged submissions are missing` : '',
    report.stored !== report.counted ? `stored ${report.stored} but counted ${report.counted}` : '',
    report.differences ? `${report.differences} figures differ from a rebuild` : '',
    report.blocksDiffer ? 'the answer blocks do not hold each stored response once' : '',
    recoveries.some((r) => Number.isNaN(r.ms)) ? 'the app did not recover' : '',
  ].filter(Boolean);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await mongoose.disconnect().catch(() => undefined);
  if (failures.length) {
    console.error(`load: FAILED: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log('load: every acknowledged submission stored once and counted once');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
