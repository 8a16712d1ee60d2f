import type { Express } from 'express';
import request from 'supertest';
import { User } from '../../src/auth/user.model';
import { changeOwnPassword } from '../../src/auth/user.service';
import { ValidationError } from '../../src/shared/errors';
import { csrfFrom, loggedInAgent, makeApp, PASSWORD, tokenFor } from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();

const NEW = 'a brand new passphrase';

let app: Express;
beforeAll(() => {
  app = makeApp();
});

const hashOf = async (email: string) =>
  (await User.findOne({ email }).lean<{ passwordHash: string }>())!.passwordHash;

async function tryLogin(email: string, password: string) {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  return agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) });
}

describe('changing one’s own password', () => {
  it.each([
    [
      'a wrong current password',
      { current: 'not my password', password: NEW, confirm: NEW },
      'The current password is not correct.',
    ],
    [
      'a new password under 12 characters',
      { current: PASSWORD, password: 'elevenchars', confirm: 'elevenchars' },
      'at least 12 characters',
    ],
    [
      'a confirmation that does not match',
      { current: PASSWORD, password: NEW, confirm: `${NEW}!` },
      'The passwords do not match.',
    ],
    [
      'an empty new password',
      { current: PASSWORD, password: '', confirm: '' },
      'at least 12 characters',
    ],
  ])('refuses %s (422) and keeps the old password', async (_label, form, message) => {
    const { agent, user } = await loggedInAgent(app, 'analyst');
    const before = await hashOf(user.email);
    const res = await agent
      .post('/account/password')
      .type('form')
      .send({ ...form, _csrf: await tokenFor(agent, '/account') });
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(res.text).toContain('There is a problem');
    expect(await hashOf(user.email)).toBe(before);
    expect((await tryLogin(user.email, PASSWORD)).status).toBe(303);
  });

  it('changes it (303): the new password logs in, the old one no longer does', async () => {
    const { agent, user } = await loggedInAgent(app, 'viewer');
    const before = await User.findOne({ email: user.email }).lean<{
      passwordHash: string;
      passwordChangedAt: Date;
    }>();
    const res = await agent
      .post('/account/password')
      .type('form')
      .send({
        current: PASSWORD,
        password: NEW,
        confirm: NEW,
        _csrf: await tokenFor(agent, '/account'),
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account?changed=1');
    const page = await agent.get(res.headers.location!);
    expect(page.status).toBe(200); // still logged in
    expect(page.text).toContain('Your password has been changed.');

    const after = await User.findOne({ email: user.email }).lean<{
      passwordHash: string;
      passwordChangedAt: Date;
    }>();
    expect(after!.passwordHash).not.toBe(before!.passwordHash);
    expect(after!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(after!.passwordHash).not.toContain(NEW);
    expect(+after!.passwordChangedAt).toBeGreaterThanOrEqual(+before!.passwordChangedAt);

    const oldLogin = await tryLogin(user.email, PASSWORD);
    expect(oldLogin.status).toBe(401);
    expect((await tryLogin(user.email, NEW)).status).toBe(303);
  });

  it('is only for logged-in users', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/account/password')
      .type('form')
      .send({ current: PASSWORD, password: NEW, confirm: NEW, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(401);
  });

  it('the service refuses a missing actor and a wrong current password', async () => {
    await expect(changeOwnPassword(undefined, PASSWORD, NEW)).rejects.toMatchObject({
      status: 401,
    });
    const { user } = await loggedInAgent(app, 'viewer');
    await expect(changeOwnPassword(user, 'wrong', NEW)).rejects.toBeInstanceOf(ValidationError);
    await expect(changeOwnPassword(user, PASSWORD, 'x'.repeat(201))).rejects.toMatchObject({
      fields: [{ path: 'password', message: 'password.tooLong' }],
    });
  });
});
