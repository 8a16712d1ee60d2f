import { AppError, ValidationError } from '../../shared/errors';
import { LANGS } from '../../shared/i18n';
import { fieldMap } from '../../shared/validate';
import type { Assessment, Group, Topic } from '../assessment.types';

// HTML forms post flat fields named after the service's error paths (`name.en`,
// `settings.intro.zh-Hant`), so a validation error lands next to the input that caused it.

export type Body = Record<string, unknown>;
export type FormValues = Record<string, string | string[]>;

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []);
const num = (v: unknown): number | undefined => (str(v).trim() === '' ? undefined : Number(str(v).trim()));
const LIST_FIELDS = ['instruments', 'settings.languages'];

/** The posted form as it goes back into the inputs on a 422 re-render. */
export function bodyValues(body: unknown): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries((body ?? {}) as Body)) {
    if (k === '_csrf') continue;
    out[k] = LIST_FIELDS.includes(k) ? list(v) : str(v);
  }
  return out;
}

/** English is always sent (it may be empty: validation says so); Chinese only when filled in. */
function localizedInput(b: Body, prefix: string) {
  const out: Record<string, string> = { en: str(b[`${prefix}.en`]) };
  for (const l of ['zh-Hant', 'zh-Hans'] as const) if (str(b[`${prefix}.${l}`]).trim()) out[l] = str(b[`${prefix}.${l}`]);
  return out;
}

function localizedValues(prefix: string, text: Partial<Record<string, string>> | undefined): FormValues {
  return Object.fromEntries(LANGS.map((l) => [`${prefix}.${l}`, text?.[l] ?? '']));
}

// ---- assessments ----

export const createInput = (b: Body) => ({ name: str(b.name), reportingYear: num(b.reportingYear), template: str(b.template) || undefined });

export const createValues = (): FormValues => ({ name: '', reportingYear: String(new Date().getFullYear()), template: 'blank' });

/** Instrument modes are only sent while they can change (the inputs are disabled when locked). */
export function settingsInput(b: Body) {
  const perLang = (prefix: string) => Object.fromEntries(LANGS.map((l) => [l, str(b[`${prefix}.${l}`])]));
  const impactMode = str(b['settings.instruments.impact.mode']);
  const financialMode = str(b['settings.instruments.financial.mode']);
  return {
    name: str(b.name),
    settings: {
      ...(impactMode || financialMode ? { instruments: { ...(impactMode ? { impact: { mode: impactMode } } : {}), ...(financialMode ? { financial: { mode: financialMode } } : {}) } } : {}),
      languages: list(b['settings.languages']),
      intro: perLang('settings.intro'),
      privacy: perLang('settings.privacy'),
      axisLabels: { impact: perLang('settings.axisLabels.impact'), financial: perLang('settings.axisLabels.financial') },
    },
  };
}

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
  };
}

// ---- topics ----

export function topicInput(b: Body, withCode = true) {
  return {
    ...(withCode ? { code: str(b.code) } : {}),
    name: localizedInput(b, 'name'),
    description: localizedInput(b, 'description'),
    category: str(b.category),
    impactProfile: {
      nature: str(b['impactProfile.nature']),
      occurrence: str(b['impactProfile.occurrence']),
      humanRights: str(b['impactProfile.humanRights']) === 'yes',
    },
  };
}

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

export const iroInput = (b: Body, topic: string) => ({
  topic,
  type: str(b.type),
  actuality: str(b.actuality),
  stage: str(b.stage),
  horizon: str(b.horizon),
  description: str(b.description),
});

export const iroValues = (): FormValues => ({ type: 'impact-negative', actuality: 'actual', stage: 'own-operations', horizon: 'short', description: '' });

// ---- stakeholder groups ----

/** While locked only weight and target may change: the locked form sends nothing else. */
export function groupInput(b: Body, withCode = true) {
  const locked = b.scope === 'weights';
  return {
    ...(withCode ? { code: str(b.code) } : {}),
    ...(locked ? {} : { name: localizedInput(b, 'name'), kind: str(b.kind), instruments: list(b.instruments) }),
    weight: num(b.weight),
    targetResponses: num(b.targetResponses),
  };
}

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

// ---- errors ----

/** Our messages are i18n keys; zod's own ("Invalid input: …") are not, and get a readable hint. */
const isKey = (m: string) => /^[a-zA-Z]+(\.[a-zA-Z0-9_-]+)+$/.test(m);

/**
 * Field errors of a form, for a re-render that keeps the input: validation errors, and the
 * duplicate-code conflict (a field error too). Anything else (403, 404, locked) goes on to the
 * central error page.
 */
export function formErrors(err: unknown, hints: Record<string, string> = {}): { status: number; errors: Record<string, string> } {
  if (err instanceof ValidationError) {
    const map = fieldMap(err);
    for (const [path, msg] of Object.entries(map)) if (!isKey(msg)) map[path] = hints[path] ?? 'validation.invalid';
    return { status: 422, errors: map };
  }
  if (err instanceof AppError && err.code === 'duplicate_code') return { status: 409, errors: { code: err.message } };
  throw err;
}

export { isKey };
