import { isLang, type Lang } from '../shared/i18n';
import { ownValue } from '../scoring';
import { DEFAULT_TEMPLATES, FALLBACKS, PLACEHOLDERS, type Placeholder } from './default-templates';
import type { MailSetupDoc, TemplateText } from './mail-setup.model';
import type { MessageKind } from './message.model';

const PLACEHOLDER_RE = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The template an assessment uses for a kind and language: its edited one, else the default. */
export function templateFor(setup: MailSetupDoc, kind: MessageKind, lang: Lang): TemplateText {
  const edited = setup.templates?.[kind];
  return (edited && ownValue(edited, lang)) || DEFAULT_TEMPLATES[kind][lang];
}

/** Placeholders a text uses that do not exist (shown as a 422 when a template is saved). */
export function unknownPlaceholders(text: string): string[] {
  const known: readonly string[] = PLACEHOLDERS;
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]!).filter((p) => !known.includes(p));
}

/** Replaces each {{placeholder}} with its value; the values are plain text (the message is text/plain). */
export function fillTemplate(text: string, values: ReadonlyMap<Placeholder, string>): string {
  return text.replace(PLACEHOLDER_RE, (whole, key: string) => {
    const v = values.get(key as Placeholder);
    return v === undefined ? whole : v;
  });
}

/** A closing date (YYYY-MM-DD) as the recipient's language writes it. */
export function formatDeadline(deadline: string | undefined, lang: Lang): string {
  if (!deadline || !/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return FALLBACKS[lang].deadline;
  const d = new Date(`${deadline}T00:00:00Z`);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export interface Recipient {
  name?: string;
  link: string;
  optOutLink: string;
}

/** Subject and body for one recipient, in their language. */
export function renderMessage(
  setup: MailSetupDoc,
  assessmentName: string,
  kind: MessageKind,
  lang: Lang,
  r: Recipient,
): TemplateText {
  const values = new Map<Placeholder, string>([
    ['name', r.name?.trim() || FALLBACKS[lang].name],
    ['organisation', setup.organisation?.trim() || assessmentName],
    ['link', r.link],
    ['deadline', formatDeadline(setup.deadline, lang)],
    ['optOutLink', r.optOutLink],
  ]);
  const t = templateFor(setup, kind, lang);
  // Subjects are one line: a newline from an edited template must not start a header.
  const subject = fillTemplate(t.subject, values)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  return { subject, body: fillTemplate(t.body, values) };
}

/** The invitee's language if the assessment offers it, else the assessment's first language. */
export function messageLang(linkLang: string | undefined, offered: readonly Lang[]): Lang {
  if (isLang(linkLang) && offered.includes(linkLang)) return linkLang;
  return offered[0] ?? 'en';
}
