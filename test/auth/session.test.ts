import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { createTestUser, csrfFrom, makeApp, PASSWORD } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { Jar, loginWithJar, setCookie } from './cookies';

useTestDb();

/** Who the jar is logged in as on `app`, through a token made on the account page and /api/v1/me. */
async function whoAmI(app: Express, jar: Jar): Promise<string> {
  const page = await jar.visit(app, '/account');
  expect(page.status).toBe(200);
  const made = await jar.submit(app, '/account/tokens', {
    name: 'whoami',
    _csrf: csrfFrom(page.text),
  });
  expect(made.status).toBe(201);
  const token = /dma_[A-Za-z0-9_-]{43}/.exec(made.text)![0];
  const me = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
  expect(me.status).toBe(200);
  return me.body.user.email;
}

describe('sessions in the database', () => {
  it('survive an app restart', async () => {
    const user = await createTestUser('analyst');
    const appA = makeApp();
    const { jar, res } = await loginWithJar(appA, user.email);
    expect(res.status).toBe(303);
    expect((await jar.visit(appA, '/account')).status).toBe(200);
    expect(await mongoose.connection.collection('sessions').countDocuments()).toBeGreaterThan(0);

    const appB = makeApp(); // a new process: nothing in memory, same SESSION_SECRET and database
    const account = await jar.visit(appB, '/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(user.email);
    expect(account.text).toContain('action="/logout"');
    expect(await whoAmI(appB, jar)).toBe(user.email);
  });

  it('the account page names the logged-in user', async () => {
    const user = await createTestUser('analyst');
    const app = makeApp();
    const { jar } = await loginWithJar(app, user.email);
    const account = await jar.visit(makeApp(), '/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(user.email);
  });

  it('work across two instances at once: log in on one, log out on the other', async () => {
    const user = await createTestUser('viewer');
    const appA = makeApp();
    const appB = makeApp();
    const { jar } = await loginWithJar(appA, user.email);
    const home = await jar.visit(appB, '/');
    expect(home.status).toBe(200);
    const out = await jar.submit(appB, '/logout', { _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(303);
    expect((await jar.visit(appA, '/account')).status).toBe(303);
  });

  it('are not accepted by an instance with another SESSION_SECRET', async () => {
    const user = await createTestUser('viewer');
    const { jar } = await loginWithJar(makeApp(), user.email);
    const other = makeApp({ SESSION_SECRET: 'y'.repeat(40) });
    const res = await jar.visit(other, '/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Faccount');
  });

  it('are not created for anonymous visitors', async () => {
    await createTestUser('viewer');
    const app = makeApp();
    const before = await mongoose.connection.collection('sessions').countDocuments();
    const page = await request(app).get('/login');
    expect(page.status).toBe(200);
    expect(setCookie(page, 'dma.sid')).toBeUndefined();
    expect(await mongoose.connection.collection('sessions').countDocuments()).toBe(before);
  });
});

describe('cookies', () => {
  it('the session cookie is httpOnly, SameSite=Lax, limited in time, and not Secure on plain http', async () => {
    const user = await createTestUser('viewer');
    const { res } = await loginWithJar(makeApp(), user.email);
    const sid = setCookie(res, 'dma.sid')!;
    expect(sid).toMatch(/;\s*HttpOnly/i);
    expect(sid).toMatch(/;\s*SameSite=Lax/i);
    expect(sid).toMatch(/;\s*Path=\//i);
    expect(sid).toMatch(/;\s*Expires=/i);
    expect(sid).not.toMatch(/;\s*Secure/i);
    // over plain http in "auto" mode no auth cookie may be Secure, or browsers would drop it
    const page = await request(makeApp()).get('/login');
    for (const name of ['dma.bid', 'dma.csrf']) {
      expect(setCookie(page, name)).toMatch(/;\s*HttpOnly/i);
      expect(setCookie(page, name)).not.toMatch(/;\s*Secure/i);
    }
  });

  it('with COOKIE_SECURE=true all auth cookies are Secure', async () => {
    const user = await createTestUser('viewer');
    const app = makeApp({ COOKIE_SECURE: 'true', TRUST_PROXY: '1' });
    const https = { 'X-Forwarded-Proto': 'https' };
    const jar = new Jar();
    const page = await jar.visit(app, '/login', https);
    const res = await jar.submit(
      app,
      '/login',
      { email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) },
      https,
    );
    expect(res.status).toBe(303);
    for (const [r, name] of [
      [page, 'dma.bid'],
      [page, 'dma.csrf'],
      [res, 'dma.sid'],
    ] as const) {
      const c = setCookie(r, name);
      expect({ name, c }).toEqual({ name, c: expect.stringMatching(/;\s*Secure/i) });
      expect(c).toMatch(/;\s*HttpOnly/i);
    }
  });

  it('with the default COOKIE_SECURE=auto behind an HTTPS proxy all auth cookies are Secure', async () => {
    // (src/shared/csrf.ts once set dma.csrf `secure: config.cookieSecure === true`: never Secure in "auto".)
    const user = await createTestUser('viewer');
    const app = makeApp({ TRUST_PROXY: '1' });
    const https = { 'X-Forwarded-Proto': 'https' };
    const jar = new Jar();
    const page = await jar.visit(app, '/login', https);
    const res = await jar.submit(
      app,
      '/login',
      { email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) },
      https,
    );
    expect(res.status).toBe(303);
    for (const [r, name] of [
      [res, 'dma.sid'],
      [page, 'dma.bid'],
      [page, 'dma.csrf'],
    ] as const) {
      const c = setCookie(r, name);
      expect({ name, c }).toEqual({ name, c: expect.stringMatching(/;\s*Secure/i) });
    }
  });
});
