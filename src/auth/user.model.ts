import mongoose, { Schema, Types } from 'mongoose';
import { ROLES, Role } from './roles';

export interface UserDoc {
  _id: Types.ObjectId;
  email: string;
  passwordHash: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  passwordChangedAt: Date;
  /**
   * Raised when the user's sessions must end (password changed, account disabled); a session is
   * valid only while it carries the current value (checked on every request, missing = 0).
   */
  sessionEpoch?: number;
}

const userSchema = new Schema<UserDoc>(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    disabled: { type: Boolean, default: false },
    createdAt: { type: Date, default: () => new Date() },
    passwordChangedAt: { type: Date, default: () => new Date() },
    sessionEpoch: { type: Number, default: 0 },
  },
  { versionKey: false },
);

export const User =
  (mongoose.models.User as mongoose.Model<UserDoc> | undefined) ??
  mongoose.model<UserDoc>('User', userSchema, 'users');
