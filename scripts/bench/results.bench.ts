import http from 'node:http';
import type { Express } from 'express';
import { createToken } from '../../src/auth/token.service';
import { createUserUnchecked } from '../../src/auth/user.service';
import { generateResponses } from '../../src/demo/synthetic';
import { benchAssessment } from './fixtures';
import { percentile, summary, timeEach } from './stats';

function get(port: number, path: string, token: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
  });
}

export async function bearerToken(): Promise<string> {
  const user = await createUserUnchecked({
    email: `bench-${Date.now()}@localhost.invalid`,
    password: 'bench password 1234',
    role: 'analyst',
  });
  return (await createToken(user, 'bench')).token;
}

/** Results JSON latency over HTTP at a small and a large number of responses × 20 topics. */
export async function resultsBench(
  app: Express,
  log: (s: string) => void,
  large: number,
): Promise<void> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const token = await bearerToken();
  const measure = async (count: number) => {
    const a = await benchAssessment(`bench ${count}`);
    const t0 = Date.now();
    let last = 0;
    await generateResponses(a, {
      count,
      batchSize: 2000,
      onProgress: (n) => {
        if (n - last >= 100_000) {
          last = n;
          log(
            `  … ${n.toLocaleString('en')} responses generated (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
          );
        }
      },
    });
    log(
      `results: generated ${count.toLocaleString('en')} responses × 20 topics in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const path = `/api/v1/assessments/${a._id}/results`;
    for (let i = 0; i < 20; i++) await get(port, path, token, agent); // warm up
    const times = await timeEach(300, async () => {
      const status = await get(port, path, token, agent);
      if (status !== 200) throw new Error(`results answered ${status}`);
    });
    log(`results: JSON at ${count.toLocaleString('en')} responses: ${summary(times)}`);
    return { id: a._id, median: percentile(times, 50) };
  };
  const small = await measure(1000);
  const big = await measure(large);
  log(
    `results: median ratio ${large.toLocaleString('en')} / 1,000 = ${(big.median / small.median).toFixed(2)} (targets: median < 100 ms, ratio < 1.5)`,
  );
  agent.destroy();
  await new Promise((r) => server.close(r));
}
