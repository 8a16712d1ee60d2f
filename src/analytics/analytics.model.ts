import mongoose, { Schema } from 'mongoose';

/**
 * The cached analytics of one assessment (`_id` = assessment id) and the job computing them. The
 * result is kept as the exact JSON text served, so a cached answer is the same bytes every time.
 * `rev` makes claiming the job a compare-and-set: of several instances asking at once, one wins.
 */
export interface AnalyticsDoc {
  _id: string;
  rev: number;
  dataVersion: string;
  status: 'computing' | 'done' | 'failed';
  progress: number;
  owner: string;
  heartbeatAt: Date;
  result: string | null;
  error: string | null;
}

const schema = new Schema<AnalyticsDoc>(
  {
    _id: String,
    rev: { type: Number, required: true },
    dataVersion: { type: String, required: true },
    status: { type: String, required: true },
    progress: { type: Number, default: 0 },
    owner: String,
    heartbeatAt: Date,
    result: { type: String, default: null },
    error: { type: String, default: null },
  },
  { versionKey: false },
);

export const AnalyticsCache =
  (mongoose.models.AnalyticsCache as mongoose.Model<AnalyticsDoc> | undefined) ??
  mongoose.model<AnalyticsDoc>('AnalyticsCache', schema, 'analytics');
