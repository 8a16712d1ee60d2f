import crypto from 'node:crypto';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request, { Response } from 'supertest';
import { createTestUser, csrfFrom, makeApp, PASSWORD } from '../helpers/app';
import { clearCollections, useTestDb } from '../helpers/db';

useTestDb();

const WINDOW_MS = 15 * 60_000; // the default LOGIN_WINDOW_MINUTES
const TRY_AGAIN = /Try again in (\d+) minutes\./;

// The counters use fixed windows; keep a test from straddling a window boundary.
async function awayFromWindowEdge() {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < 10_000) await new Promise((r) => setTimeout(r, left + 200));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The store keeps only a hash of each key (an IP or an e-mail address).
const hashed = (key: string) => crypto.createHash('sha256').update(key).digest('hex').slice(0, 32);
const keyPrefix = (store: string, key?: string) =>
  key === undefined ? store : `${store}:${hashed(key)}`;

// Successful logins are given back after the response has finished; wait for that to land.
async function countersSettled(prefix: string, expected = 0) {
  const coll = mongoose.connection.collection('ratelimits');
  let counts: number[] = [];
  for (let i = 0; i < 50; i++) {
    const docs = await coll.find({ _id: { $regex: `^${escape(prefix)}:` } } as object).toArray();
    counts = docs.map((d) => d.count as number);
    if (counts.length > 0 && counts.every((c) => c === expected)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`counters ${prefix} did not settle at ${expected}: ${counts.join(',')}`);
}

class Browser {
  agent: ReturnType<typeof request.agent>;
  token = '';
  constructor(readonly app: Express) {
    this.agent = request.agent(app);
  }
  async login(email: string, password: string, accept?: string): Promise<Response> {
    if (!this.token) this.token = csrfFrom((await this.agent.get('/login')).text);
    const req = this.agent.post('/login').type('form');
    if (accept) req.set('Accept', accept);
    return req.send({ email, password, _csrf: this.token });
  }
}

function expectTooMany(res: Response) {
  expect(res.status).toBe(429);
  const m = TRY_AGAIN.exec(res.text);
  expect(m).not.toBeNull();
  const minutes = Number(m![1]);
  expect(minutes).toBeGreaterThanOrEqual(1);
  expect(minutes).toBeLessThanOrEqual(15);
  expect(res.headers['retry-after']).toBe(String(minutes * 60));
  expect(res.text).toContain('Try again later'); // the page title
  expect(res.text).not.toContain('name="password"'); // no login form on the lockout page
}

beforeEach(async () => {
  await clearCollections('ratelimits');
  await awayFromWindowEdge();
});

describe('per-account lockout', () => {
  it('locks an account after LOGIN_MAX_PER_ACCOUNT failures, even for the right password', async () => {
    const app = makeApp({ LOGIN_MAX_PER_ACCOUNT: '3' });
    const user = await createTestUser('analyst');
    const b = new Browser(app);
    for (let i = 0; i < 3; i++)
      expect((await b.login(user.email, 'wrong password!!')).status).toBe(401);

    expectTooMany(await b.login(user.email, PASSWORD));
    // the same account written differently is the same account
    expectTooMany(await b.login(`  ${user.email.toUpperCase()} `, PASSWORD));
    // and another browser from the same IP does not help
    expectTooMany(await new Browser(app).login(user.email, PASSWORD));

    const json = await b.login(user.email, PASSWORD, 'application/json');
    expect(json.status).toBe(429);
    expect(json.body.error.code).toBe('rate_limited');
    expect(json.body.error.message).toMatch(TRY_AGAIN);
    expect(json.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('still lets another account log in from the same IP', async () => {
    const app = makeApp({ LOGIN_MAX_PER_ACCOUNT: '3' });
    const locked = await createTestUser('analyst');
    const other = await createTestUser('viewer');
    const b = new Browser(app);
    for (let i = 0; i < 3; i++)
      expect((await b.login(locked.email, 'wrong password!!')).status).toBe(401);
    expect((await b.login(locked.email, PASSWORD)).status).toBe(429);

    const res = await b.login(other.email, PASSWORD);
    expect(res.status).toBe(303);
    expect((await b.agent.get('/account')).status).toBe(200);
    await countersSettled(keyPrefix('login-account', other.email));
  });

  it('does not count successful logins', async () => {
    const app = makeApp({ LOGIN_MAX_PER_ACCOUNT: '3', LOGIN_MAX_PER_IP: '3' });
    const user = await createTestUser('viewer');
    for (let i = 0; i < 5; i++) {
      expect((await new Browser(app).login(user.email, PASSWORD)).status).toBe(303);
      await countersSettled('login-account');
      await countersSettled('login-ip');
    }
    // two failures and a success still fit in a limit of three
    const b = new Browser(app);
    expect((await b.login(user.email, 'wrong password!!')).status).toBe(401);
    expect((await b.login(user.email, 'wrong password!!')).status).toBe(401);
    expect((await b.login(user.email, PASSWORD)).status).toBe(303);
    await countersSettled(keyPrefix('login-account', user.email), 2);
  });
  it('lets no more than the limit through when failures arrive in parallel', async () => {
    const app = makeApp({ LOGIN_MAX_PER_ACCOUNT: '3' });
    const user = await createTestUser('viewer');
    const b = new Browser(app);
    await b.login('warm-up@example.com', 'x'); // fetch the CSRF token first
    const results = await Promise.all(
      Array.from({ length: 12 }, () => b.login(user.email, 'wrong password!!')),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });
});

describe('per-IP limit', () => {
  it('blocks an IP after LOGIN_MAX_PER_IP failures across different accounts', async () => {
    const app = makeApp({ LOGIN_MAX_PER_IP: '4' });
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => createTestUser('viewer')));
    const b = new Browser(app);
    for (const u of users.slice(0, 4))
      expect((await b.login(u.email, 'wrong password!!')).status).toBe(401);

    // a fifth account, never tried before, with its right password
    expectTooMany(await b.login(users[4]!.email, PASSWORD));
    expectTooMany(await new Browser(app).login(users[0]!.email, PASSWORD));
  });
});

describe('counters in the database', () => {
  it('are shared by a second app instance', async () => {
    const env = { LOGIN_MAX_PER_ACCOUNT: '3' };
    const appA = makeApp(env);
    const user = await createTestUser('analyst');
    const a = new Browser(appA);
    for (let i = 0; i < 3; i++)
      expect((await a.login(user.email, 'wrong password!!')).status).toBe(401);

    const docs = await mongoose.connection.collection('ratelimits').find({}).toArray();
    const account = docs.find((d) =>
      String(d._id).startsWith(`${keyPrefix('login-account', user.email)}:`),
    );
    expect(docs.some((d) => String(d._id).includes(user.email))).toBe(false); // the e-mail is not stored in clear
    expect(account?.count).toBe(3);

    const appB = makeApp(env); // as if another process behind the same load balancer
    expectTooMany(await new Browser(appB).login(user.email, PASSWORD));
  });

  it('survive an app restart and are gone once the window is cleared', async () => {
    const env = { LOGIN_MAX_PER_ACCOUNT: '2' };
    const user = await createTestUser('analyst');
    const a = new Browser(makeApp(env));
    for (let i = 0; i < 2; i++)
      expect((await a.login(user.email, 'wrong password!!')).status).toBe(401);
    expect((await new Browser(makeApp(env)).login(user.email, PASSWORD)).status).toBe(429);

    await clearCollections('ratelimits'); // e.g. the window ended
    expect((await new Browser(makeApp(env)).login(user.email, PASSWORD)).status).toBe(303);
    await countersSettled(keyPrefix('login-account', user.email));
  });
});
