import { z } from 'zod';
import { dict } from '../scoring';
import { ValidationError, type FieldError } from '../shared/errors';
import { field, lastValue } from '../shared/form';

/**
 * The settings panel posts flat fields named like their paths (`thresholds.impact`,
 * `weights.<group>`), so error messages and the error summary point straight at the inputs.
 */
export const SETTINGS_FIELDS = [
  'thresholds.impact',
  'thresholds.financial',
  'rule',
  'rankingMethod',
  'borderlineBand',
  'minGroupN',
  'minReportN',
] as const;

/** The posted form as the route hands it to the service (which checks the role first): every field as text. */
export const settingsForm = field.all;

const number = (message: string, check: (v: number) => boolean) =>
  z
    .string()
    .trim()
    .min(1, message)
    // A comma decimal separator is what many keyboards produce; accept it.
    .transform((s) => Number(s.replace(',', '.')))
    .refine((v) => Number.isFinite(v) && check(v), message);

const threshold = number('results.settings.errThreshold', (v) => v > 0 && v <= 5);
const count = number(
  'results.settings.errCount',
  (v) => Number.isInteger(v) && v >= 1 && v <= 1000,
);
const weight = number('results.settings.errWeight', (v) => v >= 0 && v <= 1000);

const formSchema = z.object({
  'thresholds.impact': threshold,
  'thresholds.financial': threshold,
  rule: z.enum(['either', 'both'], { error: 'results.settings.errChoice' }),
  rankingMethod: z.enum(['exceedance', 'sum', 'euclidean', 'product'], {
    error: 'results.settings.errChoice',
  }),
  borderlineBand: number('results.settings.errBand', (v) => v >= 0 && v <= 2),
  minGroupN: count,
  minReportN: count,
});

export interface SettingsPatch {
  thresholds: { impact: number; financial: number };
  rule: 'either' | 'both';
  rankingMethod: 'exceedance' | 'sum' | 'euclidean' | 'product';
  borderlineBand: number;
  minGroupN: number;
  minReportN: number;
  weights: Record<string, number>;
}

/** The posted form as an updateAssessment settings patch, or a ValidationError naming every bad field. */
export function parseSettingsForm(form: Record<string, unknown>): SettingsPatch {
  const errors: FieldError[] = [];
  const input = Object.fromEntries(SETTINGS_FIELDS.map((k) => [k, lastValue(form[k])]));
  const r = formSchema.safeParse(input);
  if (!r.success)
    for (const i of r.error.issues)
      errors.push({ path: i.path.map(String).join('.'), message: i.message });
  // Keyed by group code, which may be `__proto__`: a prototype-less record.
  const weights = dict<number>();
  for (const [key, raw] of Object.entries(form)) {
    const code = /^weights\.(.+)$/.exec(key)?.[1];
    if (code === undefined) continue;
    const w = weight.safeParse(lastValue(raw));
    if (w.success) weights[code] = w.data;
    else
      errors.push({
        path: key,
        message: w.error.issues[0]?.message ?? 'results.settings.errWeight',
      });
  }
  if (errors.length || !r.success) throw new ValidationError(errors);
  const d = r.data;
  return {
    thresholds: { impact: d['thresholds.impact'], financial: d['thresholds.financial'] },
    rule: d.rule,
    rankingMethod: d.rankingMethod,
    borderlineBand: d.borderlineBand,
    minGroupN: d.minGroupN,
    minReportN: d.minReportN,
    weights,
  };
}

/** The values to show in the form: what was posted (after an error), else the current settings. */
export function settingsFormValues(
  settings: {
    thresholds: { impact: number; financial: number };
    rule: string;
    rankingMethod: string;
    borderlineBand: number;
    minGroupN: number;
    minReportN: number;
    weights: Record<string, number>;
  },
  posted?: Record<string, unknown>,
): Record<string, string> {
  const current: Record<string, string> = {
    'thresholds.impact': String(settings.thresholds.impact),
    'thresholds.financial': String(settings.thresholds.financial),
    rule: settings.rule,
    rankingMethod: settings.rankingMethod,
    borderlineBand: String(settings.borderlineBand),
    minGroupN: String(settings.minGroupN),
    minReportN: String(settings.minReportN),
    ...Object.fromEntries(
      Object.entries(settings.weights).map(([g, w]) => [`weights.${g}`, String(w)]),
    ),
  };
  if (!posted) return current;
  return Object.fromEntries(
    Object.entries(current).map(([k, v]) => [
      k,
      Object.hasOwn(posted, k) ? lastValue(posted[k]) : v,
    ]),
  );
}
