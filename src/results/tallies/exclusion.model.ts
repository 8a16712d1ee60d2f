import mongoose, { Schema } from 'mongoose';
import type { FlagClass } from './quality-flags';

/**
 * Which flag classes an assessment leaves out of its scores (`_id` = assessment id). Kept beside
 * the tallies, not in the assessment, because every results read needs it together with them: one
 * more primary-key read in the same round as the group documents.
 */
export interface ExclusionDoc {
  _id: string;
  exclude: FlagClass[];
  by: string;
  at: Date;
}

const schema = new Schema<ExclusionDoc>(
  { _id: String, exclude: { type: [String], default: [] }, by: String, at: Date },
  { versionKey: false },
);

export const Exclusion =
  (mongoose.models.Exclusion as mongoose.Model<ExclusionDoc> | undefined) ??
  mongoose.model<ExclusionDoc>('Exclusion', schema, 'qualityexclusions');
