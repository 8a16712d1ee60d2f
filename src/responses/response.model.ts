import mongoose, { Schema } from 'mongoose';
import type { Criteria } from '../scoring';

/** One answer as stored: the topic's criteria (1..5, or null for "don't know"). */
export type AnswerDoc = { instrument: 'impact' | 'financial'; topic: string } & Criteria;

/** The device classes a response records (surveys/user-agent.ts); the user agent is not stored. */
export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop', 'bot', 'unknown'] as const;

export interface ResponseDoc {
  _id: string; // personal link: derived from the link, so it can be stored once only
  assessmentId: string;
  group: string;
  linkRef: string; // a hash of the link, never the token
  kind: 'personal' | 'open';
  answers: AnswerDoc[];
  lang: string;
  startedAt: Date;
  submittedAt: Date;
  durationMs: number | null;
  userAgentClass: string;
  /** Response-quality flags (methodology section 7), computed once at submission. */
  flags?: ('straightLining' | 'speeder')[];
}

const criterion = { type: Number, default: undefined };
const answerSchema = new Schema(
  {
    instrument: { type: String, required: true },
    topic: { type: String, required: true },
    significance: criterion,
    scale: criterion,
    scope: criterion,
    irremediability: criterion,
    likelihood: criterion,
    magnitude: criterion,
  },
  { _id: false },
);

const responseSchema = new Schema<ResponseDoc>(
  {
    _id: String,
    assessmentId: { type: String, required: true },
    group: { type: String, required: true },
    linkRef: { type: String, required: true },
    kind: { type: String, required: true },
    answers: { type: [answerSchema], default: [] },
    lang: String,
    startedAt: Date,
    submittedAt: Date,
    durationMs: { type: Number, default: null },
    userAgentClass: String,
    flags: { type: [String], default: undefined },
  },
  { versionKey: false },
);

export const ResponseModel =
  (mongoose.models.Response as mongoose.Model<ResponseDoc> | undefined) ??
  mongoose.model<ResponseDoc>('Response', responseSchema, 'responses');

/**
 * The native collection for the respondent hot path: the answers are validated before the insert,
 * and mongoose's document casting would cost more CPU than the database write itself.
 */
export const responsesCollection = () =>
  ResponseModel.collection as unknown as mongoose.mongo.Collection<ResponseDoc>;
