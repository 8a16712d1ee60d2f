import crypto from 'node:crypto';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { ApiToken } from '../../src/auth/token.model';
import { createToken, revokeToken } from '../../src/auth/token.service';
import { User } from '../../src/auth/user.model';
import { createTestUser, loggedInAgent, makeApp, tokenFor } from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();

const TOKEN_RE = /dma_[A-Za-z0-9_-]{43}/;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

let app: Express;
beforeAll(() => {
  app = makeApp();
});

const me = (authorization?: string) => {
  const r = request(app).get('/api/v1/me');
  return authorization === undefined ? r : r.set('Authorization', authorization);
};

function expectApiError(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
  expect(res.body.error.message.length).toBeGreaterThan(0);
}

describe('bearer token authentication', () => {
  it('accepts a valid token (200)', async () => {
    const user = await createTestUser('analyst');
    const { token } = await createToken(user, 'ci');
    const res = await me(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: user.id, email: user.email, role: 'analyst' });
    // the scheme is case-insensitive and surrounding spaces do not matter
    expect((await me(`bearer   ${token}  `)).status).toBe(200);
  });

  it('answers 401 JSON without an Authorization header, even to a browser', async () => {
    expectApiError(await me(), 401, 'unauthorized');
    expectApiError(await me().set('Accept', 'text/html'), 401, 'unauthorized');
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no token', 'Bearer'],
    ['two tokens', 'Bearer dma_a dma_b'],
    ['an empty header', ''],
  ])('answers 401 to a malformed header (%s)', async (_label, header) => {
    const res = await me(header);
    expect(res.status).toBe(401);
    expect(['invalid_token', 'unauthorized']).toContain(res.body.error.code);
  });

  it.each([
    ['too short', 'dma_abc'],
    ['without the prefix', crypto.randomBytes(32).toString('base64url')],
    ['with a bad character', 'dma_' + 'a'.repeat(42) + '!'],
    ['too long', 'dma_' + 'a'.repeat(44)],
  ])('answers 401 invalid_token to a malformed token (%s)', async (_label, token) => {
    expectApiError(await me(`Bearer ${token}`), 401, 'invalid_token');
  });

  it('answers 401 invalid_token to a well-formed unknown token', async () => {
    const unknown = 'dma_' + crypto.randomBytes(32).toString('base64url');
    expectApiError(await me(`Bearer ${unknown}`), 401, 'invalid_token');
  });

  it('answers 401 token_revoked to a revoked token', async () => {
    const user = await createTestUser('viewer');
    const { token, id } = await createToken(user, 'old');
    expect((await me(`Bearer ${token}`)).status).toBe(200);
    await revokeToken(user, id);
    expectApiError(await me(`Bearer ${token}`), 401, 'token_revoked');
  });

  it("answers 401 to the token of a disabled user, and 200 again once they're enabled", async () => {
    const user = await createTestUser('analyst');
    const { token } = await createToken(user, 'x');
    await User.updateOne({ _id: user.id }, { $set: { disabled: true } });
    expectApiError(await me(`Bearer ${token}`), 401, 'invalid_token');
    await User.updateOne({ _id: user.id }, { $set: { disabled: false } });
    expect((await me(`Bearer ${token}`)).status).toBe(200);
  });

  it('answers 401 to the token of a deleted user', async () => {
    const user = await createTestUser('analyst');
    const { token } = await createToken(user, 'x');
    await User.deleteOne({ _id: user.id });
    expectApiError(await me(`Bearer ${token}`), 401, 'invalid_token');
  });

  it('does not start a session or set cookies', async () => {
    const user = await createTestUser('analyst');
    const { token } = await createToken(user, 'x');
    const res = await me(`Bearer ${token}`);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('token storage', () => {
  it('stores only the sha256 hash, as the _id', async () => {
    const { agent, user } = await loggedInAgent(app, 'analyst');
    const res = await agent
      .post('/account/tokens')
      .type('form')
      .send({ name: 'reporting script', _csrf: await tokenFor(agent, '/account') });
    expect(res.status).toBe(201);
    const token = TOKEN_RE.exec(res.text)![0];

    const docs = await mongoose.connection
      .collection('apitokens')
      .find({ userId: user.id })
      .toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]!._id).toBe(sha256(token));
    expect(docs[0]).toMatchObject({ name: 'reporting script', lastUsedAt: null, revokedAt: null });
    const all = JSON.stringify(
      await mongoose.connection.collection('apitokens').find({}).toArray(),
    );
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.slice(4)); // nor its random part
  });

  it('service tokens are random, distinct and hashed the same way', async () => {
    const user = await createTestUser('viewer');
    const a = await createToken(user, 'a');
    const b = await createToken(user, 'b');
    expect(a.token).toMatch(new RegExp(`^${TOKEN_RE.source}$`));
    expect(a.token).not.toBe(b.token);
    expect(a.id).toBe(sha256(a.token));
    expect(await ApiToken.findById(sha256(b.token)).lean()).toMatchObject({
      name: 'b',
      userId: user.id,
    });
  });
});

describe('the account page', () => {
  it('shows a new token once, then lists it by name without the token', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const before = await agent.get('/account');
    expect(before.text).toContain('You have no API tokens.');

    const made = await agent
      .post('/account/tokens')
      .type('form')
      .send({ name: 'nightly export', _csrf: await tokenFor(agent, '/account') });
    expect(made.status).toBe(201);
    expect(made.text).toContain('copy it now, it will not be shown again');
    const token = TOKEN_RE.exec(made.text)![0];
    expect((await me(`Bearer ${token}`)).status).toBe(200);

    const later = await agent.get('/account');
    expect(later.text).toContain('nightly export');
    expect(later.text).not.toMatch(TOKEN_RE);
    expect(later.text).not.toContain('copy it now');
  });

  it('refuses a token without a name (422) and creates nothing', async () => {
    const { agent, user } = await loggedInAgent(app, 'viewer');
    const res = await agent
      .post('/account/tokens')
      .type('form')
      .send({ name: '   ', _csrf: await tokenFor(agent, '/account') });
    expect(res.status).toBe(422);
    expect(res.text).not.toMatch(TOKEN_RE);
    expect(await ApiToken.countDocuments({ userId: user.id })).toBe(0);
  });

  it('shows the last-used time after the token is used', async () => {
    const { agent, user } = await loggedInAgent(app, 'analyst');
    const { token, id } = await createToken(user, 'dashboard');
    const row = (html: string) => html.split('<tr>').find((r) => r.includes('<td>dashboard</td>'))!;
    expect(row((await agent.get('/account')).text)).toContain('Never');

    const t0 = Date.now();
    expect((await me(`Bearer ${token}`)).status).toBe(200);
    const doc = await ApiToken.findById(id).lean<{ lastUsedAt: Date | null }>();
    expect(doc!.lastUsedAt).toBeInstanceOf(Date);
    expect(+doc!.lastUsedAt!).toBeGreaterThanOrEqual(t0 - 1000);
    expect(+doc!.lastUsedAt!).toBeLessThanOrEqual(Date.now() + 1000);

    const shown = row((await agent.get('/account')).text);
    expect(shown).not.toContain('Never');
    expect(shown).toContain(doc!.lastUsedAt!.toISOString().slice(0, 16).replace('T', ' '));
  });

  it('revokes a token (303), marks it revoked, and the API refuses it', async () => {
    const { agent, user } = await loggedInAgent(app, 'analyst');
    const { token, id } = await createToken(user, 'to revoke');
    const page = await agent.get('/account');
    expect(page.text).toContain(`action="/account/tokens/${id}/revoke"`);

    const res = await agent
      .post(`/account/tokens/${id}/revoke`)
      .type('form')
      .send({ _csrf: await tokenFor(agent, '/account') });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    expect(
      (await ApiToken.findById(id).lean<{ revokedAt: Date | null }>())!.revokedAt,
    ).toBeInstanceOf(Date);
    const after = await agent.get('/account');
    const row = after.text.split('<tr>').find((r) => r.includes('<td>to revoke</td>'))!;
    expect(row).toContain('Revoked');
    expect(row).not.toContain('/revoke"');
    expectApiError(await me(`Bearer ${token}`), 401, 'token_revoked');
  });

  it("cannot revoke someone else's token (404), unless an admin", async () => {
    const owner = await createTestUser('analyst');
    const { token, id } = await createToken(owner, 'mine');
    const { agent } = await loggedInAgent(app, 'analyst');
    const res = await agent
      .post(`/account/tokens/${id}/revoke`)
      .type('form')
      .send({ _csrf: await tokenFor(agent, '/account') });
    expect(res.status).toBe(404);
    expect((await me(`Bearer ${token}`)).status).toBe(200);

    const { agent: admin } = await loggedInAgent(app, 'admin');
    const ok = await admin
      .post(`/account/tokens/${id}/revoke`)
      .type('form')
      .send({ _csrf: await tokenFor(admin, '/account') });
    expect(ok.status).toBe(303);
    expect((await me(`Bearer ${token}`)).status).toBe(401);
  });

  it("does not list another user's tokens", async () => {
    const owner = await createTestUser('analyst');
    await createToken(owner, 'secret-name-of-owner');
    const { agent } = await loggedInAgent(app, 'analyst');
    expect((await agent.get('/account')).text).not.toContain('secret-name-of-owner');
  });
});
