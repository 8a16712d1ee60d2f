import mongoose from 'mongoose';
import { User } from '../../src/auth/user.model';
import { createTestUser, csrfFrom, makeApp, PASSWORD } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { loginWithJar, type Jar } from './cookies';

useTestDb();

const NEW = 'a new and long password';
const app = makeApp();

/** 200 when the jar's session is logged in; 303 to the login page when it is not. */
const account = async (jar: Jar) => (await jar.visit(app, '/account')).status;

async function changePassword(jar: Jar) {
  const page = await jar.visit(app, '/account');
  return jar.submit(app, '/account/password', {
    current: PASSWORD,
    password: NEW,
    confirm: NEW,
    _csrf: csrfFrom(page.text),
  });
}

async function setDisabled(admin: Jar, userId: string, disabled: boolean) {
  const page = await admin.visit(app, '/admin/users');
  const res = await admin.submit(app, `/admin/users/${userId}`, {
    disabled: String(disabled),
    _csrf: csrfFrom(page.text),
  });
  expect(res.status).toBe(303);
}

describe('ending sessions', () => {
  it("changing a password ends the user's other sessions and keeps this one", async () => {
    const user = await createTestUser('analyst');
    const { jar: here } = await loginWithJar(app, user.email);
    const { jar: laptop } = await loginWithJar(app, user.email);
    const { jar: phone } = await loginWithJar(app, user.email);
    const other = await createTestUser('analyst');
    const { jar: someoneElse } = await loginWithJar(app, other.email);
    for (const j of [here, laptop, phone]) expect(await account(j)).toBe(200);

    const res = await changePassword(here);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account?changed=1');
    expect(await account(here)).toBe(200);
    expect(await account(laptop)).toBe(303);
    expect(await account(phone)).toBe(303);
    expect(await account(someoneElse)).toBe(200);

    // The session cookie was replaced: the old session id no longer logs anyone in.
    const { jar: again } = await loginWithJar(app, user.email, NEW);
    expect(await account(again)).toBe(200);
    expect(await account(here)).toBe(200);
  });

  it("an admin disabling a user ends the user's sessions; enabling again does not revive them", async () => {
    const admin = await createTestUser('admin');
    const { jar: adminJar } = await loginWithJar(app, admin.email);
    const user = await createTestUser('viewer');
    const { jar: a } = await loginWithJar(app, user.email);
    const { jar: b } = await loginWithJar(app, user.email);
    expect(await account(a)).toBe(200);

    await setDisabled(adminJar, user.id, true);
    expect(await account(a)).toBe(303);
    expect(await account(b)).toBe(303);
    expect(await account(adminJar)).toBe(200);

    await setDisabled(adminJar, user.id, false);
    expect(await account(a)).toBe(303);
    expect(await account(b)).toBe(303);
    const { jar: fresh } = await loginWithJar(app, user.email);
    expect(await account(fresh)).toBe(200);
  });

  it('a session stored before the epoch (the user id alone) stays valid until an epoch is raised', async () => {
    const user = await createTestUser('viewer');
    const { jar } = await loginWithJar(app, user.email);
    const sessions = mongoose.connection.collection<{
      _id: string;
      session: { passport?: { user: unknown } };
    }>('sessions');
    const mine = (await sessions.find({}).toArray()).filter(
      (s) => (s.session.passport?.user as { id?: string } | undefined)?.id === user.id,
    );
    expect(mine).toHaveLength(1);
    await sessions.updateOne({ _id: mine[0]!._id }, { $set: { 'session.passport.user': user.id } });
    expect(await account(jar)).toBe(200);
    await User.updateOne({ _id: user.id }, { $inc: { sessionEpoch: 1 } });
    expect(await account(jar)).toBe(303);
  });
});
