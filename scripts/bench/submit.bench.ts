import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { createLinks } from '../../src/invitations/link.service';
import { buildQuestionnaire } from '../../src/responses/questionnaire';
import { settleCounting } from '../../src/results/tallies/counter';
import { syntheticAnswers, prng } from '../../src/demo/synthetic';
import { BENCH_ACTOR, benchAssessment } from './fixtures';
import { timeEach } from './stats';

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

/**
 * Submissions per second with 50 concurrent respondents (personal links), and the latency at 50/s
 * offered. autocannon reports p50, p90, p97.5 and p99 (no p95): each figure is printed under its own name.
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
    autocannon({
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
  const burst = await run({ connections: 50, amount: 2500 });
  const ok = burst['2xx'];
  log(
    `submissions: 50 concurrent clients: ${burst.requests.average.toFixed(0)} submissions/s (2xx ${ok}, non-2xx ${burst.non2xx}), latency median ${burst.latency.p50} ms, p97.5 ${burst.latency.p97_5} ms`,
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
  const openRun = await autocannon({
    url: `http://127.0.0.1:${port}/api/v1/survey/${open.token}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: posts[0]?.body,
    connections: 50,
    amount: 2500,
  });
  log(
    `submissions: 50 concurrent clients on one open link: ${openRun.requests.average.toFixed(0)} submissions/s (2xx ${openRun['2xx']}, non-2xx ${openRun.non2xx}), latency median ${openRun.latency.p50} ms, p97.5 ${openRun.latency.p97_5} ms; ratio ${(openRun.requests.average / raw.update).toFixed(2)}`,
  );
  const paced = await run({ connections: 10, overallRate: 50, duration: 10 });
  log(
    `submissions: offered 50/s for 10 s (personal links): ${paced['2xx']} stored, latency median ${paced.latency.p50} ms, p90 ${paced.latency.p90} ms, p97.5 ${paced.latency.p97_5} ms, p99 ${paced.latency.p99} ms (target p95 < 50 ms: between p90 and p97.5)`,
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
