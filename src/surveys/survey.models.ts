import mongoose, { Schema } from 'mongoose';
import type { Criteria } from '../scoring';

// Every document here is read and written by `_id` alone (the respondent paths are primary-key only).

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
  revokedAt: Date | null;
}

/** One answer as stored: the topic's criteria (1..5, or null for "don't know"). */
export type AnswerDoc = { instrument: 'impact' | 'financial'; topic: string } & Criteria;

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
}

export interface DraftDoc {
  _id: string;
  assessmentId: string;
  values: Record<string, string>; // "instrument:topic:criterion" -> "1".."5" | "dk"
  lang: string;
  startedAt: Date;
  updatedAt: Date;
}

/**
 * Counters and tallies of one stakeholder group of one assessment (`_id` = "assessmentId:group"),
 * updated with `$inc` in the request that stores a response. One document per group keeps each
 * update small, and tallies are flat top-level keys `tally:<topic>:<axis>:<n|sum|sumSq|dontKnow>`:
 * the embedded engine rewrites the whole document on every update and pays per nested path
 * (measured: 80 nested paths 2.7 ms, 60 flat keys 1.4 ms per update).
 */
export interface GroupStatsDoc {
  _id: string;
  assessmentId: string;
  group: string;
  responses?: number;
  invited?: number;
  opened?: number;
  submitted?: number;
  updatedAt?: Date;
  [tally: `tally:${string}`]: number;
}

/** The assembled view of all groups of an assessment. */
export interface StatsDoc {
  _id: string; // the assessment id
  responses: { total: number; byGroup: Record<string, number> };
  links: Record<string, { invited?: number; opened?: number; submitted?: number }>;
  tallies: Record<string, Record<string, Record<string, { n: number; sum: number; sumSq: number; dontKnow: number }>>>;
  updatedAt: Date;
}

const loose = { versionKey: false, strict: false, minimize: false } as const;

function model<T>(name: string, collection: string, definition: Record<string, unknown>): mongoose.Model<T> {
  return (mongoose.models[name] as mongoose.Model<T>) ?? (mongoose.model(name, new Schema(definition, loose), collection) as unknown as mongoose.Model<T>);
}

export const Link = model<LinkDoc>('Link', 'links', { _id: String, assessmentId: String, group: String, kind: String, opens: { type: Number, default: 0 }, createdAt: Date, revokedAt: { type: Date, default: null } });
// Fields used in filters must be declared: mongoose's strictQuery drops unknown filter keys.
export const ResponseModel = model<ResponseDoc>('Response', 'responses', { _id: String, assessmentId: String, group: String });
export const Draft = model<DraftDoc>('Draft', 'drafts', { _id: String, assessmentId: String, updatedAt: Date });
export const GroupStats = model<GroupStatsDoc>('GroupStats', 'groupstats', { _id: String, assessmentId: String, group: String });

/** The native driver's collections, typed, for the respondent hot path (no mongoose casting). */
export const native = {
  links: () => Link.collection as unknown as mongoose.mongo.Collection<LinkDoc>,
  responses: () => ResponseModel.collection as unknown as mongoose.mongo.Collection<ResponseDoc>,
  groupStats: () => GroupStats.collection as unknown as mongoose.mongo.Collection<GroupStatsDoc>,
};
