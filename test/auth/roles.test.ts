import type { Express } from 'express';
import request from 'supertest';
import { Action, assertCan, can, Role, ROLES, SessionUser } from '../../src/auth/roles';
import { createToken } from '../../src/auth/token.service';
import { User } from '../../src/auth/user.model';
import { createUserUnchecked, updateUser } from '../../src/auth/user.service';
import { AppError } from '../../src/shared/errors';
import {
  createTestUser,
  csrfFrom,
  loggedInAgent,
  makeApp,
  PASSWORD,
  tokenFor,
} from '../helpers/app';
import { clearCollections, useTestDb } from '../helpers/db';

useTestDb();

let app: Express;
beforeAll(() => {
  app = makeApp();
});

// The table in src/auth/roles.ts, written out.
const TABLE: Record<Role, Record<Action, boolean>> = {
  admin: { read: true, write: true, signoff: true, manageUsers: true },
  analyst: { read: true, write: true, signoff: false, manageUsers: false },
  approver: { read: true, write: false, signoff: true, manageUsers: false },
  viewer: { read: true, write: false, signoff: false, manageUsers: false },
};
const ACTIONS: Action[] = ['read', 'write', 'signoff', 'manageUsers'];
const CASES = ROLES.flatMap((role) =>
  ACTIONS.map((action) => [role, action, TABLE[role][action]] as const),
);

describe('can / assertCan', () => {
  const as = (role: Role): SessionUser => ({
    id: '0123456789abcdef01234567',
    email: `${role}@example.com`,
    role,
  });

  it('covers every role', () => {
    expect([...ROLES].sort()).toEqual(Object.keys(TABLE).sort());
  });

  it.each(CASES)('%s may %s: %p', (role, action, allowed) => {
    expect(can(as(role), action)).toBe(allowed);
    if (allowed) {
      expect(() => assertCan(as(role), action)).not.toThrow();
    } else {
      let err: unknown;
      try {
        assertCan(as(role), action);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(403);
      expect((err as AppError).code).toBe('forbidden');
    }
  });

  it.each(ACTIONS)('nobody (no user) may %s: 401', (action) => {
    expect(can(undefined, action)).toBe(false);
    expect(() => assertCan(undefined, action)).toThrow(
      expect.objectContaining({ status: 401, code: 'unauthorized' }),
    );
  });

  it('an unknown role may do nothing', () => {
    const odd = { id: 'x', email: 'x@example.com', role: 'root' } as unknown as SessionUser;
    for (const a of ACTIONS) expect(can(odd, a)).toBe(false);
  });
});

describe('a protected page: /admin/users', () => {
  it('sends anonymous visitors to the login page, and back after login', async () => {
    const admin = await createTestUser('admin');
    const agent = request.agent(app);
    const res = await agent.get('/admin/users').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fusers');
    const page = await agent.get(res.headers.location ?? '');
    const login = await agent
      .post('/login')
      .type('form')
      .send({
        email: admin.email,
        password: PASSWORD,
        next: '/admin/users',
        _csrf: csrfFrom(page.text),
      });
    expect(login.headers.location).toBe('/admin/users');
  });

  it('answers 401 JSON to anonymous JSON clients', async () => {
    const res = await request(app).get('/admin/users').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('is open to admins', async () => {
    const { agent, user } = await loggedInAgent(app, 'admin');
    const res = await agent.get('/admin/users');
    expect(res.status).toBe(200);
    expect(res.text).toContain(user.email);
    expect(res.text).toContain('action="/admin/users"');
  });

  it.each(['analyst', 'approver', 'viewer'] as const)('is closed (403) to %s', async (role) => {
    const { agent } = await loggedInAgent(app, role);
    const res = await agent.get('/admin/users');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Not allowed');
    expect(res.text).not.toContain('action="/admin/users"');
    const json = await agent.get('/admin/users').set('Accept', 'application/json');
    expect(json.status).toBe(403);
    expect(json.body.error.code).toBe('forbidden');
  });

  it.each(['analyst', 'viewer'] as const)(
    'refuses POST /admin/users from %s (403) and creates nobody',
    async (role) => {
      const { agent } = await loggedInAgent(app, role);
      const email = `by-${role}-${Date.now()}@example.com`;
      const res = await agent
        .post('/admin/users')
        .type('form')
        .send({
          email,
          password: PASSWORD,
          role: 'admin',
          _csrf: await tokenFor(agent, '/account'),
        });
      expect(res.status).toBe(403);
      expect(await User.findOne({ email })).toBeNull();
    },
  );

  it('refuses a non-admin changing a role (no self-promotion)', async () => {
    const { agent, user } = await loggedInAgent(app, 'analyst');
    const res = await agent
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ role: 'admin', _csrf: await tokenFor(agent, '/account') });
    expect(res.status).toBe(403);
    expect((await User.findById(user.id).lean<{ role: string }>())!.role).toBe('analyst');
  });
});

describe('an API route: GET /api/v1/me', () => {
  it.each(ROLES)('answers 200 with the %s role of the token owner', async (role) => {
    const user = await createTestUser(role);
    const { token } = await createToken(user, 'test');
    const res = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: { id: user.id, email: user.email, role } });
  });

  it('reflects a role change at once', async () => {
    const user = await createTestUser('viewer');
    const { token } = await createToken(user, 'test');
    await User.updateOne({ _id: user.id }, { $set: { role: 'approver' } });
    const res = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.body.user.role).toBe('approver');
  });

  it('does not accept a session cookie instead of a token', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const res = await agent.get('/api/v1/me');
    expect(res.status).toBe(401);
  });
});

describe('admin user management', () => {
  it('creates a user (303, listed, can log in)', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    const email = `New.Person.${Date.now()}@Example.com`;
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ email, password: PASSWORD, role: 'approver', _csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/users\?notice=/);
    const list = await agent.get(res.headers.location ?? '');
    expect(list.text).toContain(email.toLowerCase());
    expect(list.text).toContain(`User ${email.toLowerCase()} created.`);
    const doc = await User.findOne({ email: email.toLowerCase() }).lean<{
      role: string;
      passwordHash: string;
      disabled: boolean;
    }>();
    expect(doc).toMatchObject({ role: 'approver', disabled: false });
    expect(doc!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(doc!.passwordHash).not.toContain(PASSWORD);

    const other = request.agent(app);
    const page = await other.get('/login');
    expect(
      (
        await other
          .post('/login')
          .type('form')
          .send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) })
      ).status,
    ).toBe(303);
  });

  it('refuses a duplicate e-mail (422), whatever its case', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const existing = await createTestUser('viewer');
    const token = await tokenFor(agent, '/admin/users');
    const res = await agent.post('/admin/users').type('form').send({
      email: existing.email.toUpperCase(),
      password: PASSWORD,
      role: 'admin',
      _csrf: token,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('A user with this e-mail already exists.');
    expect(await User.countDocuments({ email: existing.email })).toBe(1);
    expect((await User.findOne({ email: existing.email }).lean<{ role: string }>())!.role).toBe(
      'viewer',
    );
  });

  it('refuses a short password, a bad e-mail and an unknown role (422)', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    const short = await agent
      .post('/admin/users')
      .type('form')
      .send({
        email: `short-${Date.now()}@example.com`,
        password: 'elevenchars',
        role: 'viewer',
        _csrf: token,
      });
    expect(short.status).toBe(422);
    expect(short.text).toContain('at least 12 characters');
    const bad = await agent
      .post('/admin/users')
      .type('form')
      .send({ email: 'not an e-mail', password: PASSWORD, role: 'viewer', _csrf: token });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter a valid e-mail address.');
    const email = `root-${Date.now()}@example.com`;
    const role = await agent
      .post('/admin/users')
      .type('form')
      .send({ email, password: PASSWORD, role: 'root', _csrf: token });
    expect(role.status).toBe(422);
    expect(await User.findOne({ email })).toBeNull();
  });

  it("changes a user's role, effective on their next request", async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const { agent: theirs, user } = await loggedInAgent(app, 'analyst');
    expect((await theirs.get('/admin/users')).status).toBe(403);

    const res = await agent
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ role: 'admin', _csrf: await tokenFor(agent, '/admin/users') });
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.location ?? '')).toContain(`User ${user.email} updated.`);
    expect((await User.findById(user.id).lean<{ role: string }>())!.role).toBe('admin');
    expect((await theirs.get('/admin/users')).status).toBe(200);

    const bad = await agent
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ role: 'root', _csrf: await tokenFor(agent, '/admin/users') });
    expect(bad.status).toBe(422);
    expect((await User.findById(user.id).lean<{ role: string }>())!.role).toBe('admin');
  });

  it('disables a user: their login fails and their session ends; enabling restores it', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const { agent: theirs, user } = await loggedInAgent(app, 'viewer');
    const res = await agent
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ disabled: 'true', _csrf: await tokenFor(agent, '/admin/users') });
    expect(res.status).toBe(303);
    expect((await User.findById(user.id).lean<{ disabled: boolean }>())!.disabled).toBe(true);
    const row = (await agent.get('/admin/users')).text
      .split('<tr>')
      .find((r) => r.includes(`<td>${user.email}</td>`));
    expect(row).toContain('<td>Disabled</td>');

    expect((await theirs.get('/account')).status).toBe(303);
    const fresh = request.agent(app);
    const page = await fresh.get('/login');
    const login = await fresh
      .post('/login')
      .type('form')
      .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(login.status).toBe(401);
    expect(login.text).toContain('The e-mail or password is not correct.');

    const enable = await agent
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ disabled: 'false', _csrf: await tokenFor(agent, '/admin/users') });
    expect(enable.status).toBe(303);
    const again = await fresh
      .post('/login')
      .type('form')
      .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(again.status).toBe(303);
  });

  it('answers 404 for an unknown user id', async () => {
    const { agent } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      const res = await agent
        .post(`/admin/users/${id}`)
        .type('form')
        .send({ role: 'viewer', _csrf: token });
      expect(res.status).toBe(404);
    }
  });

  it('does not let an admin disable themselves or drop their own admin role (409)', async () => {
    const { agent, user } = await loggedInAgent(app, 'admin');
    const token = await tokenFor(agent, '/admin/users');
    const disable = await agent
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ disabled: 'true', _csrf: token });
    expect(disable.status).toBe(409);
    expect(disable.text).toContain('You cannot disable yourself or remove your own admin role.');
    const demote = await agent
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ role: 'viewer', _csrf: token });
    expect(demote.status).toBe(409);
    const json = await agent
      .post(`/admin/users/${user.id}`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ role: 'viewer', _csrf: token });
    expect(json.status).toBe(409);
    expect(json.body.error.code).toBe('self_change');
    expect(await User.findById(user.id).lean()).toMatchObject({ role: 'admin', disabled: false });
    expect((await agent.get('/admin/users')).status).toBe(200);
  });
});

describe('the last admin', () => {
  // Through the pages, an admin acting on another admin always leaves one active admin (the
  // actor); the last-admin rule is enforced in the service, which every caller goes through.
  beforeAll(async () => {
    // `meta` holds the admins guard, which must start afresh with the users it counts.
    await clearCollections('users', 'sessions', 'meta');
  });

  it('cannot be disabled or demoted (409 last_admin)', async () => {
    const only = await createUserUnchecked({
      email: 'only-admin@example.com',
      password: PASSWORD,
      role: 'admin',
    });
    const actor: SessionUser = {
      id: '0123456789abcdef01234567',
      email: 'ghost@example.com',
      role: 'admin',
    };
    for (const change of [{ disabled: true }, { role: 'viewer' }]) {
      await expect(updateUser(actor, only.id, change)).rejects.toMatchObject({
        status: 409,
        code: 'last_admin',
      });
    }
    expect(await User.findById(only.id).lean()).toMatchObject({ role: 'admin', disabled: false });

    // with a second active admin it is allowed
    const second = await createUserUnchecked({
      email: 'second-admin@example.com',
      password: PASSWORD,
      role: 'admin',
    });
    await expect(updateUser(actor, second.id, { role: 'analyst' })).resolves.toMatchObject({
      role: 'analyst',
    });
    await expect(updateUser(actor, only.id, { disabled: true })).rejects.toMatchObject({
      code: 'last_admin',
    });
  });

  it('the service refuses non-admin actors', async () => {
    const target = await createUserUnchecked({
      email: 'target@example.com',
      password: PASSWORD,
      role: 'viewer',
    });
    const actor: SessionUser = { id: target.id, email: target.email, role: 'viewer' };
    await expect(updateUser(actor, target.id, { role: 'admin' })).rejects.toMatchObject({
      status: 403,
    });
    await expect(updateUser(undefined, target.id, { role: 'admin' })).rejects.toMatchObject({
      status: 401,
    });
  });
});
