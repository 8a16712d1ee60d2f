import type { Express } from 'express';
import request from 'supertest';
import { User } from '../../src/auth/user.model';
import {
  createTestUser,
  csrfFrom,
  loggedInAgent,
  makeApp,
  PASSWORD,
  tokenFor,
} from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();

const EXPIRED = 'The form has expired';

let app: Express;
beforeAll(() => {
  app = makeApp();
});

let n = 0;
const newUser = () => ({
  email: `csrf-new-${++n}-${Date.now()}@example.com`,
  password: PASSWORD,
  role: 'viewer',
});

describe('CSRF protection on forms', () => {
  it('refuses POST /admin/users without a token and creates nothing', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    await agent.get('/admin/users'); // the browser has all its cookies
    const form = newUser();
    const res = await agent.post('/admin/users').type('form').send(form);
    expect(res.status).toBe(403);
    expect(res.text).toContain(EXPIRED);
    expect(res.text).toContain('could not be accepted');
    expect(await User.findOne({ email: form.email })).toBeNull();
  });

  it.each([
    ['a made-up token', () => 'abc'],
    ['an empty token', () => ''],
    [
      'a token with a wrong signature',
      (t: string) => t.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
    ],
  ])('refuses %s', async (_label, mangle: (t: string) => string) => {
    const { agent } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    const form = newUser();
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...form, _csrf: mangle(token) });
    expect(res.status).toBe(403);
    expect(res.text).toContain(EXPIRED);
    expect(await User.findOne({ email: form.email })).toBeNull();
  });

  it("refuses a valid token taken from another browser's page", async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const { agent: other } = await loggedInAgent(app, 'admin');
    const foreign = await tokenFor(other, '/admin/users');
    await agent.get('/admin/users');
    const form = newUser();
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...form, _csrf: foreign });
    expect(res.status).toBe(403);
    expect(await User.findOne({ email: form.email })).toBeNull();
  });

  it('refuses a token sent without the cookies it belongs to', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    const res = await request(app)
      .post('/admin/users')
      .type('form')
      .send({ ...newUser(), _csrf: token });
    expect(res.status).toBe(403);
  });

  it('answers JSON clients with a JSON 403', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const form = newUser();
    const res = await agent
      .post('/admin/users')
      .set('Accept', 'application/json')
      .type('form')
      .send({ ...form, _csrf: 'nope' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'invalid_csrf_token', message: expect.any(String) },
    });
    expect(await User.findOne({ email: form.email })).toBeNull();
  });

  it('accepts the right token, in the form or in the X-CSRF-Token header', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    const a = newUser();
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...a, _csrf: token });
    expect(res.status).toBe(303);
    expect(await User.findOne({ email: a.email })).not.toBeNull();

    const b = newUser();
    const viaHeader = await agent
      .post('/admin/users')
      .set('X-CSRF-Token', token)
      .type('form')
      .send(b);
    expect(viaHeader.status).toBe(303);
    expect(await User.findOne({ email: b.email })).not.toBeNull();
  });

  it('does not take the token from the URL of an ordinary form post', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    const form = newUser();
    const res = await agent
      .post(`/admin/users?_csrf=${encodeURIComponent(token)}`)
      .type('form')
      .send(form);
    expect(res.status).toBe(403);
    expect(await User.findOne({ email: form.email })).toBeNull();
  });

  it('protects the login form too (no login CSRF)', async () => {
    const user = await createTestUser('viewer');
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.text).toContain(EXPIRED);
    expect((await agent.get('/account')).status).toBe(303); // not logged in
    // the token from the page works
    const ok = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(ok.status).toBe(303);
  });

  it('protects the account forms', async () => {
    const { agent, user } = await loggedInAgent(app, 'analyst');
    const before = (await User.findOne({ email: user.email }).lean<{ passwordHash: string }>())!
      .passwordHash;
    const pw = await agent.post('/account/password').type('form').send({
      current: PASSWORD,
      password: 'another long password',
      confirm: 'another long password',
    });
    expect(pw.status).toBe(403);
    const after = (await User.findOne({ email: user.email }).lean<{ passwordHash: string }>())!
      .passwordHash;
    expect(after).toBe(before);

    const tok = await agent.post('/account/tokens').type('form').send({ name: 'sneaky' });
    expect(tok.status).toBe(403);
    expect(tok.text).not.toMatch(/dma_[A-Za-z0-9_-]{43}/);
  });

  it('does not apply to the bearer-token API', async () => {
    const res = await request(app)
      .post('/api/v1/me')
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(res.status).toBe(401); // refused for want of a token, not of a CSRF token
    expect(res.body.error.code).toBe('unauthorized');
  });
});
