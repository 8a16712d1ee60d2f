import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Assessment } from './assessment.types';

// Topics, groups and the IRO register are embedded: an assessment holds tens of topics, and the
// questionnaire and results then need one primary-key read. Ids are strings so `_id` lookups use
// the embedded engine's index (it pushes down string and ObjectId ids).
const assessmentSchema = new Schema(
  {
    _id: { type: String, default: () => crypto.randomBytes(12).toString('hex') },
    name: { type: String, required: true },
    reportingYear: { type: Number, required: true },
    template: { type: String, required: true },
    status: { type: String, required: true, default: 'draft' },
    settings: { type: Schema.Types.Mixed, required: true },
    topics: { type: Array, default: [] },
    groups: { type: Array, default: [] },
    iros: { type: Array, default: [] },
    locked: { type: Boolean, default: false },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
    createdBy: { type: String, required: true },
  },
  { versionKey: false, minimize: false },
);

export const AssessmentModel =
  (mongoose.models.Assessment as mongoose.Model<Assessment>) ?? (mongoose.model('Assessment', assessmentSchema, 'assessments') as unknown as mongoose.Model<Assessment>);
