import type { TFunction } from 'i18next';
import { can, type SessionUser } from '../../auth/roles';
import { ownValue } from '../../scoring';
import type { ValidationError } from '../../shared/errors';
import { LANGS, localized, type Lang } from '../../shared/i18n';
import type { Assessment, Group, Status } from '../model/assessment.types';
import { columnOf } from '../import/topic-import';
import { isKey } from './form-input';

// Pure functions from documents to what the templates show.

export interface Head {
  id: string;
  name: string;
  reportingYear: number;
  status: Status;
  template: string;
  locked: boolean;
  canWrite: boolean;
  /** Topics, groups and modes can be changed by this user now. */
  editable: boolean;
}

export function head(a: Assessment, user: SessionUser | undefined): Head {
  const canWrite = can(user, 'write');
  return {
    id: a._id,
    name: a.name,
    reportingYear: a.reportingYear,
    status: a.status,
    template: a.template,
    locked: a.locked,
    canWrite,
    editable: canWrite && !a.locked,
  };
}

/** Every language's text, with the Chinese ones flagged when absent (they fall back to English for respondents). */
export function texts(text: Partial<Record<Lang, string>> | undefined) {
  return LANGS.map((l) => ({
    lang: l,
    text: text?.[l]?.trim() ?? '',
    missing: !text?.[l]?.trim(),
  }));
}

/** The name in the page's language (English when not translated): titles and screen-reader labels. */
const shown = (text: Partial<Record<Lang, string>> | undefined, lang: Lang) =>
  localized(text, lang).text;

export function topicRows(a: Assessment, lang: Lang = 'en') {
  return a.topics.map((t, i) => ({
    position: i + 1,
    code: t.code,
    name: shown(t.name, lang),
    names: texts(t.name),
    category: t.category,
    profile: t.impactProfile,
    iros: a.iros.filter((r) => r.topic === t.code).length,
    first: i === 0,
    last: i === a.topics.length - 1,
  }));
}

export function topicDetail(a: Assessment, code: string, lang: Lang = 'en') {
  const t = a.topics.find((x) => x.code === code);
  if (!t) return null;
  return {
    code: t.code,
    name: shown(t.name, lang),
    names: texts(t.name),
    descriptions: texts(t.description),
    category: t.category,
    profile: t.impactProfile,
  };
}

export const iroRows = (a: Assessment, code: string) =>
  a.iros.filter((r) => r.topic === code).map((r) => ({ ...r }));

export function groupRows(a: Assessment, lang: Lang = 'en') {
  return a.groups.map((g) => ({
    code: g.code,
    name: shown(g.name, lang),
    names: texts(g.name),
    kind: g.kind,
    weight: g.weight,
    instruments: g.instruments,
    target: g.targetResponses,
  }));
}

export function groupDetail(g: Group, lang: Lang = 'en') {
  return {
    code: g.code,
    name: shown(g.name, lang),
    names: texts(g.name),
    kind: g.kind,
    instruments: g.instruments,
  };
}

// ---- notices after a redirect (fixed keys only: the query string never carries text) ----

const NOTICES = [
  'created',
  'settingsSaved',
  'brandingSaved',
  'status-open',
  'status-closed',
  'topicAdded',
  'topicSaved',
  'topicRemoved',
  'imported',
  'iroAdded',
  'iroRemoved',
  'groupAdded',
  'groupSaved',
  'groupRemoved',
  'linksCreated',
  'linkRevoked',
];

export function notice(t: TFunction, query: Record<string, unknown>): string | null {
  const done = typeof query.done === 'string' ? query.done : '';
  if (!NOTICES.includes(done)) return null;
  const n = Number(query.n);
  return t(`assess.done.${done}`, { n: Number.isInteger(n) && n >= 0 ? n : 0 });
}

// ---- row-by-row import reports ----

export interface RowError {
  row: number | null;
  column: string;
  message: string;
}

/** Hints for zod's own messages, by the file's column. */
const COLUMN_HINTS: Record<string, string> = {
  category: 'assess.import.hint.category',
  nature: 'assess.import.hint.nature',
  occurrence: 'assess.import.hint.occurrence',
  human_rights: 'assess.import.hint.humanRights',
  email: 'validation.email',
};

export type Locate = (path: string) => { row: number | null; column: string };

export function rowErrors(err: ValidationError, locate: Locate): RowError[] {
  return err.fields.map((f) => {
    const { row, column } = locate(f.path);
    return {
      row,
      column,
      message: isKey(f.message)
        ? f.message
        : (ownValue(COLUMN_HINTS, column) ?? 'validation.invalid'),
    };
  });
}

/** importTopics numbers rows as index + 2; `sourceRows` maps that back to the sheet (blank rows are skipped). */
export const topicErrorLocator =
  (sourceRows?: number[]): Locate =>
  (path) => {
    const [, row, field] = /^row (\d+): (.*)$/.exec(path) ?? [];
    if (row === undefined || field === undefined) return { row: null, column: '' };
    const n = Number(row);
    return { row: sourceRows?.[n - 2] ?? n, column: columnOf(field) };
  };

/** The invitee parser reports sheet rows; createLinks reports an index into the invitee list. */
export const inviteeErrorLocator =
  (sourceRows?: number[]): Locate =>
  (path) => {
    const [, row, column] = /^row (\d+): (.*)$/.exec(path) ?? [];
    if (row !== undefined && column !== undefined) return { row: Number(row), column };
    const [matched, index, field] = /^emails\.(\d+)(?:\.(\w+))?/.exec(path) ?? [];
    if (matched !== undefined)
      return { row: sourceRows?.[Number(index)] ?? null, column: field ?? 'email' };
    return { row: null, column: '' };
  };
