import type { RequestHandler } from 'express';
import { z } from 'zod';
import {
  field,
  fieldErrors,
  formRoute,
  formValues,
  isKey,
  type FormRoute,
  type FormValues,
} from '../../shared/form';
import { LANGS, type Lang } from '../../shared/i18n';
import type { Assessment, Group, Topic } from '../model/assessment.types';

// HTML forms post flat fields named after the service's error paths (`name.en`,
// `settings.intro.zh-Hant`), so a validation error lands next to the input that caused it.
// The schemas below only reshape text into the service's input; the service validates it.

export type { FormValues };

const LIST_FIELDS = ['instruments', 'settings.languages'];

/** The assessment pages' forms: checkbox lists kept as lists, zod's own messages as readable hints, a duplicate code on its field (409). */
export function pageForm<T, R>(route: FormRoute<T, R>): RequestHandler {
  return formRoute({ lists: LIST_FIELDS, hints: {}, conflicts: { duplicate_code: 409 }, ...route });
}

/** One text field per language: `name.en`, `name.zh-Hant`, `name.zh-Hans`. */
const perLangFields = <P extends string>(prefix: P) =>
  Object.fromEntries(LANGS.map((l) => [`${prefix}.${l}`, field.text])) as Record<
    `${P}.${Lang}`,
    typeof field.text
  >;
type PerLang<P extends string> = Record<`${P}.${Lang}`, string>;

const perLang = <P extends string>(f: PerLang<P>, prefix: P) =>
  Object.fromEntries(LANGS.map((l) => [l, f[`${prefix}.${l}`]]));

/** English is always sent (it may be empty: validation says so); Chinese only when filled in. */
function localizedInput<P extends string>(f: PerLang<P>, prefix: P) {
  const out: Record<string, string> = { en: f[`${prefix}.en`] };
  for (const l of ['zh-Hant', 'zh-Hans'] as const)
    if (f[`${prefix}.${l}`].trim()) out[l] = f[`${prefix}.${l}`];
  return out;
}

function localizedValues(
  prefix: string,
  text: Partial<Record<string, string>> | undefined,
): FormValues {
  return Object.fromEntries(LANGS.map((l) => [`${prefix}.${l}`, text?.[l] ?? '']));
}

// ---- assessments ----

export const createForm = z.object({
  name: field.text,
  reportingYear: field.number,
  template: field.optional,
});

export const createValues = (): FormValues => ({
  name: '',
  reportingYear: String(new Date().getFullYear()),
  template: 'blank',
});

export const statusForm = z.object({ status: field.text });

/** Instrument modes are only sent while they can change (the inputs are disabled when locked). */
export const settingsForm = z
  .object({
    name: field.text,
    'settings.instruments.impact.mode': field.optional,
    'settings.instruments.financial.mode': field.optional,
    'settings.languages': field.list,
    ...perLangFields('settings.intro'),
    ...perLangFields('settings.privacy'),
    ...perLangFields('settings.axisLabels.impact'),
    ...perLangFields('settings.axisLabels.financial'),
    'settings.timeZone': field.text.optional(),
  })
  .transform((f) => {
    const impact = f['settings.instruments.impact.mode'];
    const financial = f['settings.instruments.financial.mode'];
    return {
      name: f.name,
      settings: {
        ...(impact || financial
          ? {
              instruments: {
                ...(impact ? { impact: { mode: impact } } : {}),
                ...(financial ? { financial: { mode: financial } } : {}),
              },
            }
          : {}),
        languages: f['settings.languages'],
        intro: perLang(f, 'settings.intro'),
        privacy: perLang(f, 'settings.privacy'),
        axisLabels: {
          impact: perLang(f, 'settings.axisLabels.impact'),
          financial: perLang(f, 'settings.axisLabels.financial'),
        },
        ...(f['settings.timeZone'] !== undefined ? { timeZone: f['settings.timeZone'] } : {}),
      },
    };
  });

export function settingsValues(a: Assessment): FormValues {
  const s = a.settings;
  return {
    name: a.name,
    'settings.instruments.impact.mode': s.instruments.impact.mode,
    'settings.instruments.financial.mode': s.instruments.financial.mode,
    'settings.languages': [...s.languages],
    ...localizedValues('settings.intro', s.intro),
    ...localizedValues('settings.privacy', s.privacy),
    ...localizedValues('settings.axisLabels.impact', s.axisLabels.impact),
    ...localizedValues('settings.axisLabels.financial', s.axisLabels.financial),
    'settings.timeZone': s.timeZone ?? '',
  };
}

// ---- topics ----

const topicShape = {
  ...perLangFields('name'),
  ...perLangFields('description'),
  category: field.text,
  'impactProfile.nature': field.text,
  'impactProfile.occurrence': field.text,
  'impactProfile.humanRights': field.checkbox('yes'),
};

const toTopic = (f: z.output<z.ZodObject<typeof topicShape>>) => ({
  name: localizedInput(f, 'name'),
  description: localizedInput(f, 'description'),
  category: f.category,
  impactProfile: {
    nature: f['impactProfile.nature'],
    occurrence: f['impactProfile.occurrence'],
    humanRights: f['impactProfile.humanRights'],
  },
});

/** A new topic; the code is fixed once created, so the edit form has none. */
export const topicForm = z
  .object({ code: field.text, ...topicShape })
  .transform((f) => ({ code: f.code, ...toTopic(f) }));
export const topicEditForm = z.object(topicShape).transform(toTopic);

export function topicValues(t?: Topic): FormValues {
  return {
    code: t?.code ?? '',
    ...localizedValues('name', t?.name),
    ...localizedValues('description', t?.description),
    category: t?.category ?? 'E',
    'impactProfile.nature': t?.impactProfile.nature ?? 'negative',
    'impactProfile.occurrence': t?.impactProfile.occurrence ?? 'actual',
    'impactProfile.humanRights': t?.impactProfile.humanRights ? 'yes' : '',
  };
}

/** An IRO of the topic in the URL. */
export const iroForm = z.object({
  type: field.text,
  actuality: field.text,
  stage: field.text,
  horizon: field.text,
  description: field.text,
});

export const iroValues = (): FormValues => ({
  type: 'impact-negative',
  actuality: 'actual',
  stage: 'own-operations',
  horizon: 'short',
  description: '',
});

export const moveForm = z.object({
  direction: field.text.transform((d) => (d === 'up' ? ('up' as const) : ('down' as const))),
});

// ---- stakeholder groups ----

const groupShape = {
  scope: field.text,
  ...perLangFields('name'),
  kind: field.text,
  instruments: field.list,
  weight: field.number,
  targetResponses: field.number,
};

/** While locked only weight and target may change: the locked form sends nothing else. */
const toGroup = (f: z.output<z.ZodObject<typeof groupShape>>) => ({
  ...(f.scope === 'weights'
    ? {}
    : { name: localizedInput(f, 'name'), kind: f.kind, instruments: f.instruments }),
  weight: f.weight,
  targetResponses: f.targetResponses,
});

export const groupForm = z
  .object({ code: field.text, ...groupShape })
  .transform((f) => ({ code: f.code, ...toGroup(f) }));
export const groupEditForm = z.object(groupShape).transform(toGroup);

export function groupValues(g?: Group): FormValues {
  return {
    code: g?.code ?? '',
    ...localizedValues('name', g?.name),
    kind: g?.kind ?? 'external',
    weight: String(g?.weight ?? 1),
    instruments: g ? [...g.instruments] : ['impact'],
    targetResponses: String(g?.targetResponses ?? 0),
  };
}

// ---- for the invitation routes, until they use pageForm too ----

/** The posted form as it goes back into the inputs on a 422 re-render. */
export const bodyValues = (body: unknown): FormValues => formValues(body, LIST_FIELDS);

/** Field errors of a form (validation, duplicate code); anything else (403, 404, locked) is rethrown. */
export function formErrors(
  err: unknown,
  hints: Record<string, string> = {},
): { status: number; errors: Record<string, string> } {
  const f = fieldErrors(err, { hints, conflicts: { duplicate_code: 409 } });
  if (!f) throw err;
  return f;
}

export { isKey };
