import { z } from 'zod';
import { dict } from '../../scoring';
import { LANGS } from '../../shared/i18n';
import { isTimeZone } from '../../shared/time';
import {
  IRO_ACTUALITY,
  IRO_HORIZONS,
  IRO_STAGES,
  IRO_TYPES,
  TEMPLATE_CHOICES,
} from './assessment.types';

const text = (max: number) => z.string().trim().max(max);
export const codeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'validation.code');

/** Names and texts per language; English is required, the Chinese versions may be missing. */
export const localizedSchema = (max: number, required = true) =>
  z.object({
    en: required ? text(max).min(1, 'validation.requiredEn') : text(max).default(''),
    'zh-Hant': text(max).optional(),
    'zh-Hans': text(max).optional(),
  });

export const impactProfileSchema = z.object({
  nature: z.enum(['negative', 'positive']),
  occurrence: z.enum(['actual', 'potential']),
  humanRights: z.boolean(),
});

export const topicSchema = z.object({
  code: codeSchema,
  name: localizedSchema(200),
  description: localizedSchema(2000, false).optional(),
  category: z.enum(['E', 'S', 'G']),
  impactProfile: impactProfileSchema.optional(),
});

export const topicPatchSchema = topicSchema.partial().omit({ code: true });

export const iroSchema = z.object({
  topic: codeSchema,
  type: z.enum(IRO_TYPES),
  actuality: z.enum(IRO_ACTUALITY),
  stage: z.enum(IRO_STAGES),
  horizon: z.enum(IRO_HORIZONS),
  description: text(2000).min(1, 'validation.required'),
});

const instrumentList = z
  .array(z.enum(['impact', 'financial']))
  .min(1, 'validation.instruments')
  .max(2);

export const groupSchema = z.object({
  code: codeSchema,
  name: localizedSchema(200),
  kind: z.enum(['internal', 'external']),
  weight: z.number().min(0).max(1000).default(1),
  instruments: instrumentList.transform((l) => [...new Set(l)]),
  targetResponses: z.number().int().min(0).max(10_000_000).default(0),
});

// zod 4 applies defaults inside optional fields: without overriding them, a patch that omits the
// weight or target would reset it to the default.
export const groupPatchSchema = groupSchema
  .extend({
    weight: z.number().min(0).max(1000),
    targetResponses: z.number().int().min(0).max(10_000_000),
  })
  .partial()
  .omit({ code: true });

export const createAssessmentSchema = z.object({
  name: text(200).min(1, 'validation.required'),
  reportingYear: z.number().int().min(1990).max(2100),
  template: z.enum(TEMPLATE_CHOICES).default('blank'),
});

const weight = z.number().min(0).max(1000);

/**
 * Weights by group code. zod's record drops a `__proto__` key and builds an ordinary object, yet
 * `__proto__` is a valid group code: each own key is checked here into a prototype-less record.
 */
const weightsSchema = z.unknown().transform((input, ctx): Record<string, number> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    ctx.addIssue({ code: 'invalid_type', expected: 'record', input });
    return z.NEVER;
  }
  const out = dict<number>();
  for (const key of Object.keys(input)) {
    const r = weight.safeParse((input as Record<string, unknown>)[key]);
    if (r.success) out[key] = r.data;
    else for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: [key, ...issue.path] });
  }
  return out;
});

const langList = z
  .array(z.enum(LANGS))
  .min(1, 'validation.languages')
  .transform((l) => [...new Set(l)]);
const perLang = (max: number) =>
  z.object({
    en: text(max).optional(),
    'zh-Hant': text(max).optional(),
    'zh-Hans': text(max).optional(),
  });

export const settingsPatchSchema = z
  .object({
    thresholds: z
      .object({ impact: z.number().gt(0).max(5), financial: z.number().gt(0).max(5) })
      .partial(),
    rule: z.enum(['either', 'both']),
    rankingMethod: z.enum(['exceedance', 'sum', 'euclidean', 'product']),
    borderlineBand: z.number().min(0).max(2),
    minGroupN: z.number().int().min(1).max(1000),
    minReportN: z.number().int().min(1).max(1000),
    weights: weightsSchema,
    instruments: z
      .object({
        impact: z.object({ mode: z.enum(['rating', 'assessment']) }),
        financial: z.object({ mode: z.enum(['rating', 'assessment']) }),
      })
      .partial(),
    languages: langList,
    intro: perLang(5000),
    privacy: perLang(10000),
    axisLabels: z.object({ impact: perLang(100), financial: perLang(100) }).partial(),
    // Empty = the server's time zone.
    timeZone: z
      .string()
      .trim()
      .max(64)
      .refine((v) => v === '' || isTimeZone(v), 'overview.settings.errTimeZone'),
  })
  .partial()
  .strict();

export const updateAssessmentSchema = z
  .object({ name: text(200).min(1, 'validation.required'), settings: settingsPatchSchema })
  .partial()
  .strict();

export const statusSchema = z.object({ status: z.enum(['open', 'closed']) });
