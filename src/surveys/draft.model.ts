import mongoose, { Schema } from 'mongoose';

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
