import { AppError } from '../shared/errors';
import { Meta } from './meta.model';
import { User } from './user.model';

// Rules over several users made atomic with one guard document each (meta.model.ts), since the
// database has no multi-document transactions. Both guards are read and written by `_id`; the
// admins guard also has a filter on its own `ids`, on a collection of two documents.

const ADMINS = 'admins';
const SETUP = 'setup';

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

export const lastAdmin = () => new AppError(409, 'last_admin', 'users.lastAdmin');

/**
 * The admins guard lists active admins: an id joins it after the user became an active admin and
 * leaves it before the user stops being one, so it never lists more than there are. Created from
 * the users collection the first time it is needed (an older database has none).
 */
export async function ensureAdminGuard(): Promise<void> {
  if (await Meta.exists({ _id: ADMINS })) return;
  const admins = await User.find({ role: 'admin', disabled: false }, { _id: 1 }).lean<
    { _id: unknown }[]
  >();
  try {
    await Meta.create({ _id: ADMINS, ids: admins.map((u) => String(u._id)) });
  } catch (err) {
    if (!isDuplicate(err)) throw err; // another request created it first
  }
}

/** Counts `id` as an active admin (after the user document says so); idempotent. */
export async function holdAdmin(id: string): Promise<void> {
  await Meta.updateOne({ _id: ADMINS }, { $addToSet: { ids: id } });
}

/** Stops counting `id` whatever remains: only for a user who is no longer an active admin. */
export async function forgetAdmin(id: string): Promise<void> {
  await Meta.updateOne({ _id: ADMINS }, { $pull: { ids: id } });
}

/**
 * Takes `id` out of the admins guard before the user stops being an active admin: one conditional
 * update that succeeds only while another admin remains, so two admins demoting each other at the
 * same time cannot both succeed. Throws 409 last_admin when `id` is the last one.
 */
export async function releaseAdmin(id: string): Promise<void> {
  const pulled = await Meta.updateOne(
    { _id: ADMINS, ids: id, 'ids.1': { $exists: true } },
    { $pull: { ids: id } },
  );
  if (pulled.matchedCount === 1) return;
  const guard = await Meta.findById(ADMINS).lean();
  const ids = guard?.ids ?? [];
  // Not listed while others are: it is already leaving (a concurrent change of the same user) or
  // never made it in (an interrupted promotion), so the others remain either way.
  if (ids.includes(id) || !ids.length) throw lastAdmin();
}

// A claim older than this, with still no user, was left by a set-up that died half-way.
const STALE_SETUP_MS = 60_000;

/**
 * The right to create the first admin: an insert of one document, so of two set-ups at once exactly
 * one gets it. Returns the claim's time (to release it on failure), or null when it is taken.
 */
export async function claimSetup(): Promise<Date | null> {
  const at = new Date();
  try {
    await Meta.create({ _id: SETUP, at });
    return at;
  } catch (err) {
    if (!isDuplicate(err)) throw err;
  }
  const claim = await Meta.findById(SETUP).lean();
  if (!claim?.at || +at - +claim.at < STALE_SETUP_MS || (await User.estimatedDocumentCount()) > 0)
    return null;
  const taken = await Meta.updateOne({ _id: SETUP, at: claim.at }, { $set: { at } });
  return taken.matchedCount === 1 ? at : null;
}

/** Gives a claim back after the set-up failed, so that it can be tried again at once. */
export async function releaseSetup(at: Date): Promise<void> {
  await Meta.deleteOne({ _id: SETUP, at });
}
