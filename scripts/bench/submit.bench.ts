import autocannon from 'autocannon';
import { fork } from 'node:child_process';
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
  const { result: burst, latency: burstLatency } = await run({ connections: 50, amount: 2500 });
  const ok = burst['2xx'];
  log(
    `submissions: 50 concurrent clients: ${burst.requests.average.toFixed(0)} submissions/s (2xx ${ok}, non-2xx ${burst.non2xx}), latency ${burstLatency}`,
  );
  log(
    `submissions: ratio to the sequential update rate = ${(burst.requests.average / raw.update).toFixed(2)} (target >= 0.4)`,
  );
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
  const offered = await run({ connections: 10, overallRate: 50, amount: 500 });
  const paced = offered.result;
  log(
    `submissions: offered 50/s, 500 submissions (personal links): ${paced['2xx']} acknowledged, latency ${offered.latency} (target p95 < 50 ms: ${offered.p95 < 50 ? 'met' : 'missed'})`,
  );
  await settleCounting(10_000); // the server counts in the background: let it finish first
  const stored = await mongoose.connection
    .collection('responses')
    .countDocuments({ assessmentId: a._id });
  log(
    `submissions: responses stored ${stored}, acknowledged ${ok + openRun['2xx'] + paced['2xx']}`,
  );
  child.disconnect();
}
