import { z } from 'zod';
import { codeSchema } from '../assessments/model/assessment.schemas';

// Bodies of the review endpoints (api.md "Review, sign-off, audit and year over year").

/** A rationale or reason: at least 20 characters after trimming. */
export const reasonText = () =>
  z.string('review.reasonRequired').trim().min(20, 'review.reasonTooShort').max(2000);

export const overridePutSchema = z.strictObject({
  material: z.boolean('review.materialRequired'),
  rationale: reasonText(),
});

export const rationaleSchema = z.strictObject({ rationale: reasonText() });

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(+d) && d.toISOString().slice(0, 10) === s;
};

export const signOffSchema = z.strictObject({
  meetingDate: z
    .string('review.dateRequired')
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'review.dateFormat')
    .refine(isRealDate, 'review.dateFormat'),
  body: z.string('review.bodyRequired').trim().min(1, 'review.bodyRequired').max(200),
  minutesRef: z.string('review.minutesRequired').trim().min(1, 'review.minutesRequired').max(200),
  comment: z.string().trim().max(2000).optional(),
});

export const reopenSchema = z.strictObject({ reason: reasonText() });

export const topicMapSchema = z
  .array(z.strictObject({ code: codeSchema, previous: z.array(codeSchema).min(1).max(50) }))
  .max(500);

export const copySchema = z.strictObject({
  name: z.string('validation.required').trim().min(1, 'validation.required').max(200),
  reportingYear: z.number().int().min(1990).max(2100),
  topicMap: topicMapSchema.optional(),
});

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(2000).optional(),
  action: z.string().max(60).optional(),
  person: z.string().max(254).optional(),
});
