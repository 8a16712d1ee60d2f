import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { createLinks } from '../../src/invitations/link.service';
import { buildQuestionnaire } from '../../src/responses/questionnaire';
import { settleCounting } from '../../src/results/tallies/counter';
import { syntheticAnswers, prng } from '../../src/demo/synthetic';
import { BENCH_ACTOR, benchAssessment } from './fixtures';
import { percentile, timeEach } from './stats';

/** The database's raw sequential primary-key insert and update rates, measured in this run. */
async function rawRates(): Promise<{ insert: number; update: number }> {
  const c = mongoose.connection.db!.collection<{ _id: string; n: number }>('bench_raw');
  const N = 1000;
  const ins = await timeEach(N, (i) => c.insertOne({ _id: `r${i}`, n: 0 }));
  const upd = await timeEach(N, (i) => c.updateOne({ _id: `r${(i * 7) % N}` }, { $inc: { n: 1 } }));
  await c.drop();
  const rate = (xs: number[]) => N / (xs.reduce((a, b) => a + b, 0) / 1000);
  return { insert: rate(ins), update: rate(upd) };
}

/** Runs autocannon and keeps every response's time, so that percentiles are exact (its own
 * histogram has no p95). */
async function measured(opts: autocannon.Options) {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (err, res) => (err ? reject(err as Error) : resolve(res)));
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  const p = (q: number) => percentile(times, q).toFixed(0);
  return {
    result,
    latency: `median ${p(50)} ms, p95 ${p(95)} ms, p99 ${p(99)} ms`,
    p95: percentile(times, 95),
  };
}

/**
 * An offered load: submissions arrive at `rate` per second on average, at exponential intervals
 * (a Poisson process, seeded), each sent at its time whether or not earlier ones were answered
 * (open loop), and timed from that time, so that a slow server cannot slow the arrivals and hide
 * its own delay.
 */
async function offeredLoad(
  base: string,
  posts: { path: string; body: string }[],
  rate: number,
  rand: () => number,
): Promise<{ times: number[]; ok: number; failed: number }> {
  const times: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  let at = 0;
  const sent: Promise<void>[] = [];
  for (const post of posts) {
    at += (-Math.log(1 - rand()) * 1000) / rate;
    const wait = start + at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const due = start + at;
    sent.push(
      fetch(base + post.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: post.body,
      }).then(
        async (res) => {
          await res.arrayBuffer();
          times.push(performance.now() - due);
          if (res.status === 201) ok++;
          else failed++;
        },
        () => void failed++,
      ),
    );
  }
  await Promise.all(sent);
  times.sort((x, y) => x - y);
  return { times, ok, failed };
}

interface CommandStats {
  commands: [string, number[]][];
  cpuMs: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

const commandsOf = (child: ChildProcess) =>
  new Promise<CommandStats>((resolve) => {
    child.on('message', function got(m: Partial<CommandStats>) {
      if (!m.commands) return;
      child.off('message', got);
      resolve(m as CommandStats);
    });
    child.send('commands');
  });

/** The app process's CPU and event-loop delay in a phase, and its database commands per submission. */
function logCommands(
  log: (s: string) => void,
  stats: CommandStats,
  submissions: number,
  phase: string,
) {
  const { commands, cpuMs, loopDelayMs: d } = stats;
  const total = commands.reduce((s, [, xs]) => s + xs.length, 0);
  log(
    `submissions: the app process in the ${phase} phase: ${(cpuMs / submissions).toFixed(1)} CPU ms per submission; ` +
      `event-loop delay p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`,
  );
  log(
    `submissions: commands in the ${phase} phase: ${(total / submissions).toFixed(2)} per submission`,
  );
  for (const [key, xs] of commands.sort((a, b) => b[1].length - a[1].length)) {
    xs.sort((a, b) => a - b);
    const sum = xs.reduce((s, x) => s + x, 0);
    log(
      `  ${key}: ${(xs.length / submissions).toFixed(2)} per submission, median ${percentile(xs, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(xs, 95).toFixed(1)} ms, ${(sum / 1000).toFixed(2)} s in all`,
    );
  }
}

/**
 * Submissions per second with 50 concurrent respondents (personal links), and the latency at 50/s
 * offered, with percentiles computed from every response's time.
 */
export async function submitBench(log: (s: string) => void) {
  const child = fork(
    path.join(__dirname, 'server-child.js'),
    [process.env.BENCH_URI!, mongoose.connection.name],
    {
      stdio: 'inherit',
      execArgv: process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : [],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
  const a = await benchAssessment('bench submissions');
  const group = a.groups.find((g) => g.code === 'users')!;
  const q = buildQuestionnaire(a, group, 'en');
  const rand = prng(1);
  const total = 4000;
  const links = await createLinks(
    BENCH_ACTOR,
    a._id,
    { group: 'users', kind: 'personal', count: total },
    `http://127.0.0.1:${port}`,
  );
  const posts = links.map((l) => ({
    path: `/api/v1/survey/${l.token}`,
    body: JSON.stringify({ answers: syntheticAnswers(q, rand, () => 3) }),
  }));
  let next = 0;
  const run = (opts: Partial<autocannon.Options>) =>
    measured({
      url: `http://127.0.0.1:${port}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, ...posts[next++ % posts.length] }) }],
      ...opts,
    });

  const raw = await rawRates();
  log(
    `submissions: database raw sequential _id inserts ${Math.round(raw.insert)}/s, updates ${Math.round(raw.update)}/s`,
  );
  child.send('commands:reset');
  const { result: burst, latency: burstLatency } = await run({ connections: 50, amount: 2500 });
  const ok = burst['2xx'];
  const burstCommands = process.env.BENCH_COMMANDS ? await commandsOf(child) : null;
  log(
    `submissions: 50 concurrent clients: ${burst.requests.average.toFixed(0)} submissions/s (2xx ${ok}, non-2xx ${burst.non2xx}), latency ${burstLatency}`,
  );
  log(
    `submissions: ratio to the sequential update rate = ${(burst.requests.average / raw.update).toFixed(2)} (target >= 0.4)`,
  );
  if (burstCommands) logCommands(log, burstCommands, ok, '50-concurrent personal');
  await settleCounting(30_000);
  const [open] = await createLinks(
    BENCH_ACTOR,
    a._id,
    { group: 'users', kind: 'open' },
    `http://127.0.0.1:${port}`,
  );
  if (!open) throw new Error('no open link was created');
  const { result: openRun, latency: openLatency } = await measured({
    url: `http://127.0.0.1:${port}/api/v1/survey/${open.token}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: posts[0]?.body,
    connections: 50,
    amount: 2500,
  });
  log(
    `submissions: 50 concurrent clients on one open link: ${openRun.requests.average.toFixed(0)} submissions/s (2xx ${openRun['2xx']}, non-2xx ${openRun.non2xx}), latency ${openLatency}; ratio ${(openRun.requests.average / raw.update).toFixed(2)}`,
  );
  // A fixed number rather than a duration: a duration's end cuts requests in flight, which the
  // server may have stored without their answer being counted here as acknowledged.
  // Each phase starts from an idle server: what the bursts before left to count is counted first.
  await settleCounting(30_000);
  child.send('commands:reset');
  const offered = await offeredLoad(
    `http://127.0.0.1:${port}`,
    posts.slice(next, next + 500),
    50,
    prng(2),
  );
  next += 500;
  const p = (q: number) => percentile(offered.times, q).toFixed(0);
  log(
    `submissions: offered 50/s (open loop, Poisson arrivals), 500 submissions (personal links): ${offered.ok} acknowledged, ` +
      `${offered.failed} not; latency median ${p(50)} ms, p95 ${p(95)} ms, p99 ${p(99)} ms ` +
      `(target p95 < 50 ms: ${percentile(offered.times, 95) < 50 ? 'met' : 'missed'})`,
  );
  if (process.env.BENCH_COMMANDS) logCommands(log, await commandsOf(child), offered.ok, 'offered');
  // autocannon's rate mode, as measured before 2026-12-03: each connection sends its share of a
  // second back to back at the second's start, so this is bursts of 10 concurrent submissions.
  await settleCounting(30_000);
  const burstRate = await run({ connections: 10, overallRate: 50, amount: 500 });
  const paced = burstRate.result;
  log(
    `submissions: autocannon at 50/s (bursts of 10 at each second), 500 submissions: ${paced['2xx']} acknowledged, latency ${burstRate.latency}`,
  );
  await settleCounting(10_000); // the server counts in the background: let it finish first
  const stored = await mongoose.connection
    .collection('responses')
    .countDocuments({ assessmentId: a._id });
  log(
    `submissions: responses stored ${stored}, acknowledged ${ok + openRun['2xx'] + offered.ok + paced['2xx']}`,
  );
  child.disconnect();
}
