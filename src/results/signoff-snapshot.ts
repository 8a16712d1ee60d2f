import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';

/**
 * What a sign-off approved: the results JSON as it was (without `signOff`, which the assessment
 * carries), stored as text under `<assessmentId>:<time><random>` and never written again. Text keeps every
 * figure and key exactly (a group code may be `__proto__`), so results of a signed-off assessment
 * are byte-identical whenever they are read.
 */
interface SnapshotDoc {
  _id: string;
  assessmentId: string;
  at: Date;
  results: string;
}

const snapshotSchema = new Schema<SnapshotDoc>(
  {
    _id: String,
    assessmentId: { type: String, required: true },
    at: { type: Date, required: true },
    results: { type: String, required: true },
  },
  { versionKey: false },
);

const Snapshot =
  (mongoose.models.SignOffSnapshot as mongoose.Model<SnapshotDoc> | undefined) ??
  mongoose.model<SnapshotDoc>('SignOffSnapshot', snapshotSchema, 'signoffs');

/** Stores a snapshot (an insert under a new key: a second sign-off gets the next number). */
export async function saveSnapshot(assessmentId: string, results: unknown): Promise<string> {
  const _id = `${assessmentId}:${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
  await Snapshot.create({ _id, assessmentId, at: new Date(), results: JSON.stringify(results) });
  return _id;
}

/** The snapshot's results JSON text, or null when there is none. One primary-key read. */
export async function loadSnapshotText(id: string): Promise<string | null> {
  const d = await Snapshot.findById(id).lean<SnapshotDoc>();
  return d?.results ?? null;
}
