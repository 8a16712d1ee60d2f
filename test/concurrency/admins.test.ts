import request from 'supertest';
import { Meta } from '../../src/auth/meta.model';
import type { SessionUser } from '../../src/auth/roles';
import { createUserUnchecked, updateUser } from '../../src/auth/user.service';
import { User } from '../../src/auth/user.model';
import { csrfFrom, loggedInAgent, makeApp, PASSWORD, tokenFor } from '../helpers/app';
import { clearCollections, useTestDb } from '../helpers/db';

// Rules over several users hold under concurrency, against the real database: the first-run
// set-up creates one admin however many posts race, and two admins removing each other at once
// leave one. Both rest on one guard document each in the `meta` collection.

useTestDb();
const app = makeApp();

const activeAdmins = () => User.countDocuments({ role: 'admin', disabled: false });
const fresh = () => clearCollections('users', 'sessions', 'meta');

describe('first-run set-up', () => {
  beforeEach(fresh);

  const setupPost = async (email: string) => {
    const agent = request.agent(app);
    const page = await agent.get('/setup');
    expect(page.status).toBe(200);
    return () =>
      agent
        .post('/setup')
        .type('form')
        .send({ email, password: PASSWORD, confirm: PASSWORD, _csrf: csrfFrom(page.text) });
  };

  it.each([1, 2, 3])('two set-up posts at once create exactly one admin (round %i)', async () => {
    const posts = await Promise.all([
      setupPost('first@example.com'),
      setupPost('second@example.com'),
    ]);
    const answers = await Promise.all(posts.map((post) => post()));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 404]);
    const users = await User.find({}).lean();
    expect(users).toHaveLength(1);
    const [admin] = users;
    expect(admin).toMatchObject({ role: 'admin', disabled: false });
    expect(await Meta.findById('admins').lean()).toMatchObject({ ids: [String(admin?._id)] });
  });

  it('a refused set-up (a weak password) does not hold the claim', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/setup');
    const weak = await agent
      .post('/setup')
      .type('form')
      .send({
        email: 'a@example.com',
        password: 'short',
        confirm: 'short',
        _csrf: csrfFrom(page.text),
      });
    expect(weak.status).toBe(422);
    expect(await Meta.findById('setup').lean()).toBeNull();
    const ok = await agent
      .post('/setup')
      .type('form')
      .send({
        email: 'a@example.com',
        password: PASSWORD,
        confirm: PASSWORD,
        _csrf: csrfFrom(weak.text),
      });
    expect(ok.status).toBe(303);
  });

  it('a claim left by a set-up that died half-way is taken over after a minute, not before', async () => {
    await Meta.create({ _id: 'setup', at: new Date() });
    expect((await (await setupPost('early@example.com'))()).status).toBe(404);
    await Meta.updateOne({ _id: 'setup' }, { $set: { at: new Date(Date.now() - 120_000) } });
    expect((await (await setupPost('late@example.com'))()).status).toBe(303);
    expect(await User.find({}, { email: 1, _id: 0 }).lean()).toEqual([
      { email: 'late@example.com' },
    ]);
  });
});

describe('the last admin', () => {
  beforeEach(fresh);

  it.each([
    ['demote', { role: 'analyst' }],
    ['disable', { disabled: 'true' }],
  ])(
    'two admins who %s each other at the same time leave exactly one admin',
    async (_what, change) => {
      const a = await loggedInAgent(app, 'admin');
      const b = await loggedInAgent(app, 'admin');
      const [ta, tb] = await Promise.all([
        tokenFor(a.agent, '/admin/users'),
        tokenFor(b.agent, '/admin/users'),
      ]);
      const answers = await Promise.all([
        a.agent
          .post(`/admin/users/${b.user.id}`)
          .type('form')
          .send({ ...change, _csrf: ta }),
        b.agent
          .post(`/admin/users/${a.user.id}`)
          .type('form')
          .send({ ...change, _csrf: tb }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([303, 409]);
      expect(answers.find((r) => r.status === 409)!.text).toContain(
        'At least one active admin must remain.',
      );
      expect(await activeAdmins()).toBe(1);
    },
  );

  it('holds for many admins removing each other at once, with the guard created on the way', async () => {
    const admins = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createUserUnchecked({ email: `admin${i}@example.com`, password: PASSWORD, role: 'admin' }),
      ),
    );
    await Meta.deleteOne({ _id: 'admins' }); // a database from before the guard
    // Each admin is removed by the next one, all at once.
    const answers = await Promise.allSettled(
      admins.map((u, i) =>
        updateUser(
          admins[(i + 1) % admins.length],
          u.id,
          i % 2 ? { disabled: true } : { role: 'viewer' },
        ),
      ),
    );
    expect(answers.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    for (const r of answers)
      if (r.status === 'rejected')
        expect(r.reason).toMatchObject({ status: 409, code: 'last_admin' });
    expect(await activeAdmins()).toBe(1);
    const last = await User.findOne({ role: 'admin', disabled: false }).lean();
    expect(await Meta.findById('admins').lean()).toMatchObject({ ids: [String(last!._id)] });
  });

  it('counts a promoted or re-enabled admin, so that the other one may then leave', async () => {
    const a = await createUserUnchecked({
      email: 'a@example.com',
      password: PASSWORD,
      role: 'admin',
    });
    const b = await createUserUnchecked({
      email: 'b@example.com',
      password: PASSWORD,
      role: 'viewer',
    });
    const ghost: SessionUser = {
      id: '0123456789abcdef01234567',
      email: 'ghost@example.com',
      role: 'admin',
    };
    await expect(updateUser(ghost, a.id, { role: 'analyst' })).rejects.toMatchObject({
      code: 'last_admin',
    });
    await updateUser(ghost, b.id, { role: 'admin' });
    await updateUser(ghost, b.id, { disabled: true });
    await expect(updateUser(ghost, a.id, { disabled: true })).rejects.toMatchObject({
      code: 'last_admin',
    });
    await updateUser(ghost, b.id, { disabled: false });
    await expect(updateUser(ghost, a.id, { role: 'analyst' })).resolves.toMatchObject({
      role: 'analyst',
    });
    expect(
      await User.find({ role: 'admin', disabled: false }, { email: 1, _id: 0 }).lean(),
    ).toEqual([{ email: 'b@example.com' }]);
  });
});
