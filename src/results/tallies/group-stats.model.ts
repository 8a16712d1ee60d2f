import mongoose, { Schema } from 'mongoose';
import type { Tally } from '../../scoring';
import type { FlagClass } from './quality-flags';
import type { DurationKey, FlagKey, FlagSet } from './quality-key';
import type { TallyKey } from './tally-key';

/**
 * Counters and tallies of one stakeholder group of one assessment (`_id` = "assessmentId:group"),
 * updated with `$inc` in the request that stores a response. One document per group keeps each
 * update small, and tallies are flat top-level keys (see tally-key.ts): the embedded engine
 * rewrites the whole document on every update and pays per nested path (measured: 80 nested paths
 * 2.7 ms, 60 flat keys 1.4 ms per update).
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
  /** The last batches applied to this document (see counter.ts): re-applying one is a no-op. */
  batches?: string[];
  /** Where this group's share of the answers is packed, "<rows>/<block id>" (answer-blocks.ts). */
  blocks?: string[];
  [tally: TallyKey]: number;
  /** what flagged responses contributed, and the completion-time histogram (see quality-key.ts) */
  [flag: FlagKey]: number;
  [duration: DurationKey]: number;
}

/** What may be added to a group's document in one `$inc`. */
export type GroupIncrement = Partial<
  Record<
    'responses' | 'invited' | 'opened' | 'submitted' | TallyKey | FlagKey | DurationKey,
    number
  >
>;

/** What the flagged responses of one flag set contributed, by group. */
export interface FlaggedPart {
  responses: Record<string, number>;
  tallies: Record<string, Record<string, Record<string, Tally>>>;
}

/** Response quality as the tallies keep it (methodology section 7). */
export interface QualityStats {
  /** flagged responses per group and class (a response flagged both counts in both) */
  byGroup: Record<string, Record<FlagClass, number>>;
  flagged: Record<FlagSet, FlaggedPart>;
  /** completion-time histogram per group: bucket -> responses */
  durations: Record<string, Map<number, number>>;
  /** the flag classes the analysts left out of the scores */
  excluded: FlagClass[];
}

/** The assembled view of all groups of an assessment (records keyed by codes have no prototype). */
export interface StatsDoc {
  _id: string; // the assessment id
  responses: { total: number; byGroup: Record<string, number> };
  links: Record<string, { invited?: number; opened?: number; submitted?: number }>;
  tallies: Record<string, Record<string, Record<string, Tally>>>;
  updatedAt: Date;
  /** absent in a hand-built StatsDoc: no flags, nothing excluded */
  quality?: QualityStats;
}

// The tally keys depend on the assessment's topics, so the schema cannot list them: strict off,
// and every read goes through parseTallyKey.
const groupStatsSchema = new Schema<GroupStatsDoc>(
  {
    _id: String,
    assessmentId: { type: String, required: true },
    group: { type: String, required: true },
    responses: Number,
    invited: Number,
    opened: Number,
    submitted: Number,
    updatedAt: Date,
    batches: [String],
    blocks: [String],
  },
  { versionKey: false, strict: false, minimize: false },
);

export const GroupStats =
  (mongoose.models.GroupStats as mongoose.Model<GroupStatsDoc> | undefined) ??
  mongoose.model<GroupStatsDoc>('GroupStats', groupStatsSchema, 'groupstats');

/** The native collection, for the `$inc` of the submission path. */
export const groupStatsCollection = () =>
  GroupStats.collection as unknown as mongoose.mongo.Collection<GroupStatsDoc>;

export const groupStatsId = (assessmentId: string, group: string) => `${assessmentId}:${group}`;
