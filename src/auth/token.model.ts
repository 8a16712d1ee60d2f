import mongoose, { Schema } from 'mongoose';

export interface TokenDoc {
  _id: string; // sha256 of the token: lookup is a primary-key read and the token itself is never stored
  userId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const tokenSchema = new Schema<TokenDoc>(
  {
    _id: String,
    userId: { type: String, required: true },
    name: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export const ApiToken =
  (mongoose.models.ApiToken as mongoose.Model<TokenDoc> | undefined) ??
  mongoose.model<TokenDoc>('ApiToken', tokenSchema, 'apitokens');
