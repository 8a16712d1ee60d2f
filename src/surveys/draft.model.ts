import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { keyedDigest } from '../invitations/link-ref';

/** A questionnaire in progress (autosave and resume), read and written by `_id`. */
export interface DraftDoc {
  _id: string;
  assessmentId: string;
  values: Record<string, string>; // "instrument:topic:criterion" -> "1".."5" | "dk"
  lang: string;
  startedAt: Date;
  updatedAt: Date;
}

const draftSchema = new Schema<DraftDoc>(
  {
    _id: String,
    assessmentId: { type: String, required: true },
    // Keys are field keys built from topic codes, validated against the questionnaire on submit.
    values: { type: Map, of: String, default: () => new Map() },
    lang: String,
    startedAt: Date,
    updatedAt: Date,
  },
  { versionKey: false, minimize: false },
);

export const Draft =
  (mongoose.models.Draft as mongoose.Model<DraftDoc> | undefined) ??
  mongoose.model<DraftDoc>('Draft', draftSchema, 'drafts');

/** The native collection: drafts are saved by `$set` of the answered keys (no whole-map casting). */
export const draftsCollection = () =>
  Draft.collection as unknown as mongoose.mongo.Collection<DraftDoc>;

/**
 * A draft's id from its basis (a personal link's token, or an open link's token and the browser's
 * id): a keyed HMAC under the link-reference secret, like the link reference on a response, so the
 * invitations CSV (it lists every token) cannot be used to find an invitee's unfinished answers.
 */
export const draftKey = (basis: string): string => `dk_${keyedDigest('draft', basis).slice(0, 40)}`;

/** What versions before the keyed id used (an unkeyed hash); read once by findDraft, then moved. */
export const legacyDraftKey = (basis: string): string =>
  `d_${crypto.createHash('sha256').update(basis).digest('hex').slice(0, 40)}`;

/**
 * The draft under its keyed id; a draft saved before the keyed ids is found by its old id once and
 * moved to the keyed one (insert, then delete: an interrupted move leaves a copy that is found
 * first next time, and the stale original is removed by the age clean-up). Drafts expire after
 * DRAFT_MAX_AGE_DAYS, so the old ids are gone from every database that long after the upgrade.
 */
export async function findDraft(basis: string): Promise<DraftDoc | null> {
  const id = draftKey(basis);
  const col = draftsCollection();
  const found = await col.findOne({ _id: id });
  if (found) return found;
  const legacyId = legacyDraftKey(basis);
  const old = await col.findOne({ _id: legacyId });
  if (!old) return null;
  const moved = { ...old, _id: id };
  try {
    await col.insertOne(moved);
  } catch (err) {
    // Another request moved it a moment ago: that copy is the draft.
    if ((err as { code?: number }).code !== 11000) throw err;
    return col.findOne({ _id: id });
  }
  await col.deleteOne({ _id: legacyId });
  return moved;
}
