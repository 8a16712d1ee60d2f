import { z } from 'zod';
import { field } from '../shared/form';
import { LANGS } from '../shared/i18n';

// The e-mail forms of the invitations page and the settings page. They only turn posted text into
// the services' input; the services validate it after the role check.

/** `back` is the group the page showed: the page comes back on it. */
export const sendForm = z
  .object({ group: field.optional, linkIds: field.list, back: field.optional })
  .transform(({ group, linkIds, back }) => ({
    input: { ...(group ? { group } : {}), ...(linkIds.length ? { linkIds } : {}) },
    back: back ?? '',
  }));

export const remindForm = z
  .object({
    group: field.optional,
    linkIds: field.list,
    minHours: field.number,
    back: field.optional,
  })
  .transform(({ group, linkIds, minHours, back }) => ({
    input: {
      ...(group ? { group } : {}),
      ...(linkIds.length ? { linkIds } : {}),
      ...(minHours !== undefined ? { minHoursSinceLast: minHours } : {}),
    },
    back: back ?? '',
  }));

export const backForm = z.object({ back: field.optional });

const KINDS = ['invitation', 'reminder'] as const;

/** The settings form: flat fields (`templates.invitation.en.subject`, …) into saveMailSetup's input. */
export const setupForm = field.all.transform((f) => {
  const get = (k: string) => (Object.hasOwn(f, k) ? (f[k] ?? '').trim() : '');
  const templates: Record<string, Record<string, { subject: string; body: string }>> = {};
  for (const kind of KINDS)
    for (const lang of LANGS) {
      const at = `templates.${kind}.${lang}`;
      const subject = get(`${at}.subject`);
      const body = get(`${at}.body`).replace(/\r\n/g, '\n');
      if (subject || body) (templates[kind] ??= {})[lang] = { subject, body };
    }
  const num = (k: string) => (get(k) === '' ? Number.NaN : Number(get(k)));
  return {
    ...(get('organisation') ? { organisation: get('organisation') } : {}),
    ...(get('deadline') ? { deadline: get('deadline') } : {}),
    ...(get('replyTo') ? { replyTo: get('replyTo') } : {}),
    templates,
    schedule: {
      enabled: get('schedule.enabled') === 'on',
      everyDays: num('schedule.everyDays'),
      maxReminders: num('schedule.maxReminders'),
    },
  };
});
