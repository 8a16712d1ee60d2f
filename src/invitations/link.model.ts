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
  /** The invitee's language for e-mail (one of the assessment's); else its first language. */
  language?: string;
  /** Set when the invitee asked for no more e-mail (the survey link keeps working). */
  optedOutAt?: Date;
  /** The first interaction with the questionnaire (never a bare GET, which mail scanners make). */
  openedAt?: Date;
  /** When the last invitation or reminder was queued, and how many reminders were. */
  lastMailAt?: Date;
  reminders?: number;
  /** Set when the invitee's name and address were deleted after the assessment closed. */
  redactedAt?: Date;
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
    language: String,
    optedOutAt: Date,
    openedAt: Date,
    lastMailAt: Date,
    reminders: Number,
    redactedAt: Date,
  },
  { versionKey: false },
);

export const Link =
  (mongoose.models.Link as mongoose.Model<LinkDoc> | undefined) ??
  mongoose.model<LinkDoc>('Link', linkSchema, 'links');

/** The native collection, for the respondent hot path (no mongoose casting). */
export const linksCollection = () =>
  Link.collection as unknown as mongoose.mongo.Collection<LinkDoc>;
