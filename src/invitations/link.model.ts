import mongoose, { Schema } from 'mongoose';

/** A survey link: read and written by `_id` (the token in the URL) on respondent paths. */
export interface LinkDoc {
  _id: string; // the token in the URL
  assessmentId: string;
  group: string;
  kind: 'personal' | 'open';
  name?: string;
  email?: string;
  label?: string;
  opens: number;
  createdAt: Date;
  /** Position within the batch it was created in: lists keep the order of an uploaded file. */
  seq?: number;
  revokedAt: Date | null;
}

const linkSchema = new Schema<LinkDoc>(
  {
    _id: String,
    assessmentId: { type: String, required: true },
    group: { type: String, required: true },
    kind: { type: String, required: true },
    name: String,
    email: String,
    label: String,
    opens: { type: Number, default: 0 },
    createdAt: { type: Date, default: () => new Date() },
    seq: Number,
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export const Link =
  (mongoose.models.Link as mongoose.Model<LinkDoc> | undefined) ??
  mongoose.model<LinkDoc>('Link', linkSchema, 'links');

/** The native collection, for the respondent hot path (no mongoose casting). */
export const linksCollection = () =>
  Link.collection as unknown as mongoose.mongo.Collection<LinkDoc>;
