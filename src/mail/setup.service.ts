import { z } from 'zod';
import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { loadAssessment } from '../assessments/services/assessment.store';
import { ValidationError, type FieldError } from '../shared/errors';
import { LANGS, type Lang } from '../shared/i18n';
import { parse } from '../shared/validate';
import { DEFAULT_TEMPLATES } from './default-templates';
import { loadMailSetup, mailSetupCollection, type MailSetupDoc } from './mail-setup.model';
import type { MessageKind } from './message.model';
import { renderMessage, templateFor, unknownPlaceholders } from './templates';

const KINDS: readonly MessageKind[] = ['invitation', 'reminder'];
const template = z.strictObject({
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
});
const byLang = z.strictObject({
  en: template.optional(),
  'zh-Hant': template.optional(),
  'zh-Hans': template.optional(),
});
const setupSchema = z.strictObject({
  organisation: z.string().trim().max(200).optional(),
  deadline: z.iso.date().optional(),
  replyTo: z.email('validation.email').max(320).optional(),
  templates: z
    .strictObject({ invitation: byLang.optional(), reminder: byLang.optional() })
    .optional(),
  schedule: z
    .strictObject({
      enabled: z.boolean(),
      everyDays: z.number().int().min(1).max(90),
      maxReminders: z.number().int().min(0).max(20),
    })
    .optional(),
});
export type MailSetupInput = z.infer<typeof setupSchema>;

/** Every message must carry the personal link and the opt-out link; placeholders must exist. */
function checkTemplates(input: MailSetupInput): FieldError[] {
  const errors: FieldError[] = [];
  for (const kind of KINDS)
    for (const lang of LANGS) {
      const t = input.templates?.[kind]?.[lang];
      if (!t) continue;
      const at = `templates.${kind}.${lang}`;
      for (const [part, text] of [
        ['subject', t.subject],
        ['body', t.body],
      ] as const)
        if (unknownPlaceholders(text).length)
          errors.push({ path: `${at}.${part}`, message: 'mail.template.unknownPlaceholder' });
      if (!t.body.includes('{{link}}') || !t.body.includes('{{optOutLink}}'))
        errors.push({ path: `${at}.body`, message: 'mail.template.needsLinks' });
    }
  return errors;
}

/** Saves an assessment's e-mail settings (whole document: the form shows every field). */
export async function saveMailSetup(
  actor: SessionUser | undefined,
  assessmentId: string,
  input: unknown,
): Promise<void> {
  assertCan(actor, 'write');
  const data = parse(setupSchema, input);
  const errors = checkTemplates(data);
  if (errors.length) throw new ValidationError(errors);
  await loadAssessment(assessmentId);
  // A template equal to the default is not stored: a later change of the default then applies.
  const templates: NonNullable<MailSetupDoc['templates']> = {};
  for (const kind of KINDS)
    for (const lang of LANGS) {
      const t = data.templates?.[kind]?.[lang];
      const d = DEFAULT_TEMPLATES[kind][lang];
      if (t && (t.subject !== d.subject || t.body !== d.body.trim()))
        (templates[kind] ??= {})[lang] = t;
    }
  const doc: MailSetupDoc = {
    _id: assessmentId,
    ...(data.organisation ? { organisation: data.organisation } : {}),
    ...(data.deadline ? { deadline: data.deadline } : {}),
    ...(data.replyTo ? { replyTo: data.replyTo } : {}),
    templates,
    ...(data.schedule ? { schedule: data.schedule } : {}),
    updatedAt: new Date(),
  };
  await mailSetupCollection().replaceOne({ _id: assessmentId }, doc, { upsert: true });
}

export interface MailSetupView {
  setup: MailSetupDoc;
  templates: Record<MessageKind, Partial<Record<Lang, { subject: string; body: string }>>>;
  previews: { kind: MessageKind; lang: Lang; subject: string; body: string }[];
}

/** The settings page: the templates in force for the assessment's languages, and their previews. */
export async function mailSetupView(
  actor: SessionUser | undefined,
  assessmentId: string,
  publicUrl: string,
  sampleName: (lang: Lang) => string,
): Promise<MailSetupView> {
  assertCan(actor, 'read');
  const a = await loadAssessment(assessmentId);
  const setup = await loadMailSetup(a._id);
  const templates: MailSetupView['templates'] = { invitation: {}, reminder: {} };
  const previews: MailSetupView['previews'] = [];
  for (const kind of KINDS)
    for (const lang of a.settings.languages) {
      templates[kind][lang] = templateFor(setup, kind, lang);
      const sample = `${publicUrl}/s/EXAMPLE-TOKEN`;
      const text = renderMessage(setup, a.name, kind, lang, {
        name: sampleName(lang),
        link: `${sample}?lang=${lang}`,
        optOutLink: `${sample}/opt-out?lang=${lang}`,
      });
      previews.push({ kind, lang, subject: text.subject, body: text.body });
    }
  return { setup, templates, previews };
}
