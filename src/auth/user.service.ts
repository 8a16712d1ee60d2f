import { Types } from 'mongoose';
import { z } from 'zod';
import { actorOf, recordAudit } from '../audit/audit.writer';
import { AppError, ValidationError } from '../shared/errors';
import { parse } from '../shared/validate';
import { hashPassword, passwordSchema, verifyDummy, verifyPassword } from './password';
import { assertCan, ROLES, Role, SessionUser } from './roles';
import {
  claimSetup,
  ensureAdminGuard,
  forgetAdmin,
  holdAdmin,
  releaseAdmin,
  releaseSetup,
} from './user.guards';
import { User, UserDoc } from './user.model';

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('validation.email'));
const newUserSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  role: z.enum(ROLES),
});

export function toSessionUser(u: Pick<UserDoc, '_id' | 'email' | 'role'>): SessionUser {
  return { id: String(u._id), email: u.email, role: u.role };
}

export async function userCount(): Promise<number> {
  // Cheap on any engine: the users collection holds the staff only.
  return User.estimatedDocumentCount();
}

/**
 * Creates a user without a role check: the CLI, the first-run setup and createUser call this. The
 * audit entry names `by` (the CLI when absent); without it the user is removed again.
 */
export async function createUserUnchecked(
  input: unknown,
  by?: SessionUser | null,
): Promise<SessionUser> {
  const data = parse(newUserSchema, input);
  if (data.role === 'admin') await ensureAdminGuard();
  let created: SessionUser;
  try {
    created = toSessionUser(
      await User.create({
        email: data.email,
        role: data.role,
        passwordHash: await hashPassword(data.password),
      }),
    );
  } catch (err) {
    if ((err as { code?: number }).code === 11000) {
      throw new AppError(409, 'duplicate_email', 'users.duplicate', [
        { path: 'email', message: 'users.duplicate' },
      ]);
    }
    throw err;
  }
  try {
    await recordAudit({
      actor: actorOf(by === undefined ? undefined : (by ?? created)),
      action: 'user.create',
      target: created.email,
      after: { email: created.email, role: created.role },
    });
  } catch (err) {
    await User.deleteOne({ _id: created.id });
    throw err;
  }
  if (data.role === 'admin') await holdAdmin(created.id);
  return created;
}

export async function createUser(
  actor: SessionUser | undefined,
  input: unknown,
): Promise<SessionUser> {
  assertCan(actor, 'manageUsers');
  return createUserUnchecked(input, actor);
}

const setupDone = () => new AppError(404, 'not_found', 'errors.notFound');

/**
 * The first admin: allowed only while no user exists. Two set-ups at once create one admin: the
 * one that claims the set-up first (see claimSetup); the other is answered as if it were done.
 */
export async function createFirstAdmin(input: {
  email: unknown;
  password: unknown;
}): Promise<SessionUser> {
  if ((await userCount()) > 0) throw setupDone();
  const data = parse(newUserSchema, { ...input, role: 'admin' }); // a typo must not hold the claim
  const claim = await claimSetup();
  if (!claim) throw setupDone();
  try {
    return await createUserUnchecked(data, null);
  } catch (err) {
    await releaseSetup(claim);
    throw err;
  }
}

export async function authenticate(email: string, password: string): Promise<SessionUser | null> {
  const parsed = emailSchema.safeParse(email);
  const user = parsed.success ? await User.findOne({ email: parsed.data }).lean<UserDoc>() : null;
  if (!user || user.disabled) return verifyDummy(password).then(() => null);
  return (await verifyPassword(user.passwordHash, password)) ? toSessionUser(user) : null;
}

export async function findActiveUser(id: string): Promise<SessionUser | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const u = await User.findById(id).lean<UserDoc>();
  return u && !u.disabled ? toSessionUser(u) : null;
}

/**
 * The user a session belongs to, if it is still valid: the account is active and the session
 * carries the user's current session epoch (a password change or disabling raises it).
 */
export async function findSessionUser(id: string, epoch: number): Promise<SessionUser | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const u = await User.findById(id).lean<UserDoc>();
  return u && !u.disabled && (u.sessionEpoch ?? 0) === epoch ? toSessionUser(u) : null;
}

/** The epoch a new session of this user carries. */
export async function sessionEpochOf(id: string): Promise<number> {
  const u = await User.findById(id, { sessionEpoch: 1 }).lean<UserDoc>();
  return u?.sessionEpoch ?? 0;
}

export async function findActiveUserByEmail(email: string): Promise<SessionUser | null> {
  const u = await User.findOne({ email: email.trim().toLowerCase() }).lean<UserDoc>();
  return u && !u.disabled ? toSessionUser(u) : null;
}

export interface UserRow {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

export async function listUsers(actor: SessionUser | undefined): Promise<UserRow[]> {
  assertCan(actor, 'manageUsers');
  const users = await User.find({}).lean<UserDoc[]>();
  return users
    .map((u) => ({
      id: String(u._id),
      email: u.email,
      role: u.role,
      disabled: u.disabled,
      createdAt: u.createdAt,
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

const updateSchema = z.object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() });

const isActiveAdmin = (u: Pick<UserDoc, 'role' | 'disabled'>) => u.role === 'admin' && !u.disabled;

/**
 * Changes a user's role or status. An active admin leaves the admins guard before losing the role
 * (refused there if it is the last one: atomic, so two admins demoting each other leave one), and a
 * new active admin joins it afterwards.
 */
export async function updateUser(
  actor: SessionUser | undefined,
  id: string,
  input: unknown,
): Promise<UserRow> {
  assertCan(actor, 'manageUsers');
  const change = parse(updateSchema, input);
  const user = Types.ObjectId.isValid(id) ? await User.findById(id).lean<UserDoc>() : null;
  if (!user) throw new AppError(404, 'not_found', 'users.notFound');
  if (
    String(user._id) === actor.id &&
    (change.disabled || (change.role && change.role !== 'admin'))
  ) {
    throw new AppError(409, 'self_change', 'users.selfChange');
  }
  const after = { ...user, ...change };
  const leaves = isActiveAdmin(user) && !isActiveAdmin(after);
  if (leaves || isActiveAdmin(after)) await ensureAdminGuard();
  const before: Record<string, unknown> = {};
  const changed: Record<string, unknown> = {};
  for (const key of ['role', 'disabled'] as const)
    if (change[key] !== undefined && change[key] !== user[key]) {
      before[key] = user[key] ?? null;
      changed[key] = change[key];
    }
  // The entry first (a refused entry leaves the user as they were), then the change.
  if (Object.keys(changed).length)
    await recordAudit({
      actor: actorOf(actor),
      action: 'user.update',
      target: user.email,
      before,
      after: changed,
    });
  if (leaves) await releaseAdmin(String(user._id));
  // Disabling ends the user's sessions now, and re-enabling does not bring them back.
  await User.updateOne(
    { _id: user._id },
    change.disabled ? { $set: change, $inc: { sessionEpoch: 1 } } : { $set: change },
  );
  if (isActiveAdmin(after)) await joinAdmins(String(user._id));
  return {
    id: String(after._id),
    email: after.email,
    role: after.role,
    disabled: after.disabled,
    createdAt: after.createdAt,
  };
}

/** Joins the guard, then checks that a concurrent change did not demote the user in the meantime. */
async function joinAdmins(id: string): Promise<void> {
  await holdAdmin(id);
  const now = await User.findById(id).lean<UserDoc>();
  if (!now || !isActiveAdmin(now)) await forgetAdmin(id);
}

export async function changeOwnPassword(
  actor: SessionUser | undefined,
  current: string,
  next: unknown,
): Promise<void> {
  if (!actor) throw new AppError(401, 'unauthorized', 'errors.authRequired');
  const password = parse(z.object({ password: passwordSchema }), { password: next }).password;
  const user = await User.findById(actor.id).lean<UserDoc>();
  if (!user || !(await verifyPassword(user.passwordHash, current))) {
    throw new ValidationError(
      [{ path: 'current', message: 'account.wrongCurrent' }],
      'account.wrongCurrent',
    );
  }
  await User.updateOne(
    { _id: user._id },
    {
      $set: { passwordHash: await hashPassword(password), passwordChangedAt: new Date() },
      // Ends every session of the user; the route logs the current one in again.
      $inc: { sessionEpoch: 1 },
    },
  );
}
