import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Assessment } from './assessment.types';

// Sub-documents: every field declared, no `_id` of their own (topics and groups are keyed by code).
const part = (definition: Record<string, unknown>) =>
  new Schema(definition, { _id: false, minimize: false });
const localized = () =>
  part({ en: { type: String, default: '' }, 'zh-Hant': String, 'zh-Hans': String });
const perLanguage = () => part({ en: String, 'zh-Hant': String, 'zh-Hans': String });

const topicSchema = part({
  code: { type: String, required: true },
  name: { type: localized(), required: true },
  description: { type: localized(), default: () => ({ en: '' }) },
  category: { type: String, required: true, enum: ['E', 'S', 'G'] },
  impactProfile: part({ nature: String, occurrence: String, humanRights: Boolean }),
});

const groupSchema = part({
  code: { type: String, required: true },
  name: { type: localized(), required: true },
  kind: { type: String, required: true, enum: ['internal', 'external'] },
  weight: { type: Number, required: true },
  instruments: { type: [String], default: [] },
  targetResponses: { type: Number, default: 0 },
});

const iroSchema = part({
  id: { type: String, required: true },
  topic: { type: String, required: true },
  type: { type: String, required: true },
  actuality: String,
  stage: String,
  horizon: String,
  description: { type: String, default: '' },
});

const who = { by: String, byId: String, at: Date };
const overrideSchema = part({
  topic: { type: String, required: true },
  material: { type: Boolean, required: true },
  rationale: { type: String, required: true },
  ...who,
});
const decisionSchema = part({
  topic: { type: String, required: true },
  decision: { type: String, required: true, enum: ['keep'] },
  rationale: { type: String, required: true },
  ...who,
});
const signOffFields = {
  ...who,
  meetingDate: String,
  body: String,
  minutesRef: String,
  comment: { type: String, default: '' },
  snapshotId: String,
};
const signOffSchema = part(signOffFields);
const pastSignOffSchema = part({
  ...signOffFields,
  reopenedAt: Date,
  reopenedBy: String,
  reopenedById: String,
  reason: String,
});
const topicMappingSchema = part({ code: String, previous: { type: [String], default: [] } });

const mode = () => part({ mode: { type: String, required: true } });
const settingsSchema = part({
  thresholds: part({ impact: Number, financial: Number }),
  rule: String,
  rankingMethod: String,
  borderlineBand: Number,
  minGroupN: Number,
  minReportN: Number,
  instruments: part({ impact: mode(), financial: mode() }),
  languages: { type: [String], default: [] },
  intro: { type: perLanguage(), default: () => ({}) },
  privacy: { type: perLanguage(), default: () => ({}) },
  axisLabels: part({
    impact: { type: perLanguage(), default: () => ({}) },
    financial: { type: perLanguage(), default: () => ({}) },
  }),
  timeZone: String,
});

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
    settings: { type: settingsSchema, required: true },
    topics: { type: [topicSchema], default: [] },
    groups: { type: [groupSchema], default: [] },
    iros: { type: [iroSchema], default: [] },
    locked: { type: Boolean, default: false },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
    createdBy: { type: String, required: true },
    overrides: { type: [overrideSchema], default: undefined },
    decisions: { type: [decisionSchema], default: undefined },
    signOff: { type: signOffSchema, default: null },
    signOffHistory: { type: [pastSignOffSchema], default: undefined },
    previousAssessmentId: { type: String, default: null },
    topicMap: { type: [topicMappingSchema], default: undefined },
    branding: {
      type: part({
        name: { type: perLanguage(), default: undefined },
        logo: { type: part({ data: Buffer, type: String, hash: String }), default: undefined },
      }),
      default: undefined,
    },
  },
  { versionKey: false, minimize: false },
);

export const AssessmentModel =
  (mongoose.models.Assessment as mongoose.Model<Assessment>) ??
  (mongoose.model(
    'Assessment',
    assessmentSchema,
    'assessments',
  ) as unknown as mongoose.Model<Assessment>);
