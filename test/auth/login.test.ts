import type { Express } from 'express';
import request from 'supertest';
import { User } from '../../src/auth/user.model';
import { createTestUser, csrfFrom, loggedInAgent, makeApp, PASSWORD } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { cookieValue, Jar, loginWithJar, setCookie } from './cookies';

useTestDb();

const INVALID = 'The e-mail or password is not correct.';

let app: Express;
beforeAll(() => {
  app = makeApp();
});

async function loginPage(agent: ReturnType<typeof request.agent>, next?: string) {
  const page = await agent.get(
    next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`,
  );
  expect(page.status).toBe(200);
  return page;
}

describe('login success', () => {
  it('redirects 303 to / and sets an httpOnly session cookie', async () => {
    const user = await createTestUser('analyst');
    const agent = request.agent(app);
    const page = await loginPage(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const sid = setCookie(res, 'dma.sid');
    expect(sid).toBeDefined();
    expect(sid).toMatch(/HttpOnly/i);
    expect(sid).toMatch(/SameSite=Lax/i);

    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('action="/logout"');
    expect(home.text).toContain('href="/account"');
    expect(home.text).not.toContain('href="/admin/users"'); // analysts do not manage users
    // a logged-in user is sent away from the login page
    const again = await agent.get('/login');
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/');
  });

  it('accepts the e-mail in any case and with surrounding spaces', async () => {
    const user = await createTestUser('viewer');
    const agent = request.agent(app);
    const page = await loginPage(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({
        email: `  ${user.email.toUpperCase()} `,
        password: PASSWORD,
        _csrf: csrfFrom(page.text),
      });
    expect(res.status).toBe(303);
  });

  it('redirects to a local `next` and keeps it in the form', async () => {
    const user = await createTestUser('admin');
    const agent = request.agent(app);
    const page = await loginPage(agent, '/admin/users?x=1');
    expect(page.text).toContain('name="next" value="/admin/users?x=1"');
    const res = await agent
      .post('/login')
      .type('form')
      .send({
        email: user.email,
        password: PASSWORD,
        next: '/admin/users?x=1',
        _csrf: csrfFrom(page.text),
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users?x=1');
    expect((await agent.get('/admin/users')).status).toBe(200);
  });

  it.each(['//evil.com', '/\\evil.com', 'https://evil.com/', 'evil.com', 'javascript:alert(1)'])(
    'ignores the off-site next %p and goes to /',
    async (next) => {
      const user = await createTestUser('viewer');
      const agent = request.agent(app);
      const page = await loginPage(agent, next);
      expect(page.text).toContain('name="next" value="/"');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: PASSWORD, next, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    },
  );

  it.each(['/\t/evil.com', '/\n/evil.com', '/%2F/evil.com', '/%5C/evil.com', '/ /evil.com'])(
    'never redirects off-site, even for the tricky next %p',
    async (next) => {
      const user = await createTestUser('viewer');
      const agent = request.agent(app);
      const page = await loginPage(agent);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: PASSWORD, next, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(303);
      // as a browser resolves it (WHATWG URL drops tabs and newlines, treats \ as /)
      expect(new URL(res.headers.location!, 'https://app.example/').host).toBe('app.example');
    },
  );
});

describe('login failure', () => {
  it('answers 401 with the same message for a wrong password and an unknown e-mail, and no session', async () => {
    const user = await createTestUser('analyst');
    const agent = request.agent(app);
    const page = await loginPage(agent);
    const token = csrfFrom(page.text);

    const wrong = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: 'wrong password 123', _csrf: token });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain(INVALID);
    expect(wrong.text).toContain(`value="${user.email}"`); // the e-mail is kept in the form
    expect(setCookie(wrong, 'dma.sid')).toBeUndefined();

    const unknown = await agent
      .post('/login')
      .type('form')
      .send({ email: 'nobody-here@example.com', password: PASSWORD, _csrf: token });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain(INVALID);
    expect(setCookie(unknown, 'dma.sid')).toBeUndefined();

    // The two error pages differ only in the echoed e-mail.
    const strip = (html: string, email: string) =>
      html
        .split(email)
        .join('EMAIL')
        .replace(/value="[^"]*" name="_csrf"|name="_csrf" value="[^"]*"/g, '');
    expect(strip(unknown.text, 'nobody-here@example.com')).toBe(strip(wrong.text, user.email));

    // still anonymous
    const account = await agent.get('/account');
    expect(account.status).toBe(303);
    expect(account.headers.location).toBe('/login?next=%2Faccount');
  });

  it('rejects an empty or malformed e-mail with the same message', async () => {
    const agent = request.agent(app);
    const page = await loginPage(agent);
    for (const email of ['', 'not-an-email']) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(401);
      expect(res.text).toContain(INVALID);
    }
  });

  it('does not let a disabled user log in', async () => {
    const user = await createTestUser('analyst');
    await User.updateOne({ email: user.email }, { $set: { disabled: true } });
    const agent = request.agent(app);
    const page = await loginPage(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(401);
    expect(res.text).toContain(INVALID);
    expect(setCookie(res, 'dma.sid')).toBeUndefined();
  });

  it('ends the session of a user who is disabled while logged in', async () => {
    const { agent, user } = await loggedInAgent(app, 'analyst');
    expect((await agent.get('/account')).status).toBe(200);
    await User.updateOne({ email: user.email }, { $set: { disabled: true } });
    const res = await agent.get('/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

describe('logout', () => {
  it('is not a GET route', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent.get('/logout').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    // and the GET did not log anybody out
    expect((await agent.get('/account')).status).toBe(200);
  });

  it('is a POST that ends the session, also for a copied cookie', async () => {
    const user = await createTestUser('viewer');
    const { jar, res: login } = await loginWithJar(app, user.email);
    expect(login.status).toBe(303);
    const before = jar.clone(); // e.g. a second tab, or a stolen cookie
    const home = await jar.visit(app, '/');
    expect(home.status).toBe(200);

    const out = await jar.submit(app, '/logout', { _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login?loggedOut=1');
    const page = await jar.visit(app, '/login?loggedOut=1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('You have been logged out.');

    for (const j of [jar, before]) {
      const res = await j.visit(app, '/account');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Faccount');
    }
  });

  it('needs the CSRF token', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent.post('/logout').type('form').send({});
    expect(res.status).toBe(403);
    expect((await agent.get('/account')).status).toBe(200);
  });
});

describe('session fixation', () => {
  it('does not adopt a session id planted before login', async () => {
    const user = await createTestUser('viewer');
    const planted = 's%3Aattacker-chosen-id.abcdefghijklmnopqrstuvwxyz0123456789ABCDEF';
    const jar = new Jar();
    const page = await jar.visit(app, '/login');
    jar.set('dma.sid', planted);
    const res = await jar.submit(app, '/login', {
      email: user.email,
      password: PASSWORD,
      _csrf: csrfFrom(page.text),
    });
    expect(res.status).toBe(303);
    const sid = cookieValue(res, 'dma.sid');
    expect(sid).toBeDefined();
    expect(sid).not.toBe(planted);
    expect(sid).not.toContain('attacker-chosen-id');
    expect((await jar.visit(app, '/account')).status).toBe(200);
  });

  it('regenerates an existing session on login and invalidates the old id', async () => {
    const first = await createTestUser('viewer');
    const second = await createTestUser('admin');
    const { jar, res: r1 } = await loginWithJar(app, first.email);
    expect(r1.status).toBe(303);
    const sid1 = jar.get('dma.sid')!;
    expect(sid1).toBeDefined();
    const old = jar.clone();

    // the same browser, with its existing session, logs in again (as someone else)
    const { res: r2 } = await loginWithJar(app, second.email, PASSWORD, jar);
    expect(r2.status).toBe(303);
    const sid2 = cookieValue(r2, 'dma.sid');
    expect(sid2).toBeDefined();
    expect(sid2).not.toBe(sid1);

    // now logged in as the second user (an admin: the users page lists both)
    const now = await jar.visit(app, '/admin/users');
    expect(now.status).toBe(200);
    expect(now.text).toContain(second.email);
    // the pre-login session id no longer authenticates anyone
    const stale = await old.visit(app, '/account');
    expect(stale.status).toBe(303);
  });
});
