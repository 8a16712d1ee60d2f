import mongoose, { Schema } from 'mongoose';

/**
 * Small guard documents that make a rule over several users atomic, since a write is atomic on one
 * document only: `admins` lists the active admins (the last one cannot leave it), `setup` is the
 * claim of the first-run set-up (inserted once). Read and written by `_id`.
 */
export interface MetaDoc {
  _id: string;
  ids?: string[];
  at?: Date;
}

const metaSchema = new Schema<MetaDoc>(
  {
    _id: { type: String, required: true },
    ids: { type: [String], default: undefined },
    at: { type: Date },
  },
  { versionKey: false },
);

export const Meta =
  (mongoose.models.Meta as mongoose.Model<MetaDoc> | undefined) ??
  mongoose.model<MetaDoc>('Meta', metaSchema, 'meta');
