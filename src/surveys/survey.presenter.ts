import type { TFunction } from 'i18next';
import { dict, ownValue, type Criterion } from '../scoring';
import type { Assessment, Instrument } from '../assessments/assessment.types';
import { localized, type Lang } from '../shared/i18n';
import { DONT_KNOW, fieldKey, type QuestionInstrument, type QuestionTopic } from '../responses/questionnaire';

// View models of the respondent pages: templates get these, never documents.

export const TOPICS_PER_PAGE = 6;
const VALUE_RE = /^(?:[1-5]|dk)$/;

export interface SurveyPage {
  number: number; // 1-based across all instruments
  instrument: QuestionInstrument;
  topics: QuestionTopic[];
  part: number; // which instrument (1-based) of how many
  parts: number;
}

/**
 * One instrument per page set, at most TOPICS_PER_PAGE topics a page. Pages are balanced
 * (19 topics → 5, 5, 5, 4) so the last page is never a lone topic.
 */
export function paginate(q: QuestionInstrument[]): SurveyPage[] {
  const pages: SurveyPage[] = [];
  const asked = q.filter((i) => i.topics.length > 0);
  asked.forEach((inst, idx) => {
    const count = Math.ceil(inst.topics.length / TOPICS_PER_PAGE);
    const size = Math.ceil(inst.topics.length / count);
    for (let i = 0; i < count; i++) {
      pages.push({ number: pages.length + 1, instrument: inst, topics: inst.topics.slice(i * size, (i + 1) * size), part: idx + 1, parts: asked.length });
    }
  });
  return pages;
}

export const pageKeys = (p: SurveyPage) => p.topics.flatMap((t) => t.criteria.map((c) => fieldKey(p.instrument.id, t.code, c)));

/** The page to resume on: the first with an unanswered item, or null for the review page. */
export function resumePage(pages: SurveyPage[], values: Record<string, string>): number | null {
  const open = pages.find((p) => pageKeys(p).some((k) => !ownValue(values, k)));
  return open ? open.number : null;
}

/**
 * Only known field keys with a valid value reach a draft: posted keys are user input and could
 * otherwise carry dots or `$` into document keys. Read by own key: keys contain user-chosen codes.
 */
export function pickValues(keys: string[], input: unknown): Record<string, string> {
  const src = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const out = dict<string>();
  for (const k of keys) {
    const v = ownValue(src, k);
    if (typeof v === 'string' && VALUE_RE.test(v)) out[k] = v;
  }
  return out;
}

/** An HTML id for a field key (the same rule as views/partials/error-summary.ejs). */
export const fieldId = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '-');

export const surveyPath = (token: string) => `/s/${encodeURIComponent(token)}`;
export const pageHref = (token: string, page: number, lang?: Lang) => `${surveyPath(token)}?page=${page}${lang ? `&lang=${lang}` : ''}`;

function criterionText(t: TFunction, instrument: Instrument, c: Criterion) {
  const key = instrument === 'financial' && c === 'significance' ? 'financialSignificance' : c;
  const s = (k: string) => t(`survey.criterion.${key}.${k}`);
  return { label: s('label'), hint: s('hint'), low: s('low'), high: s('high') };
}

export interface OptionView {
  value: string;
  id: string;
  label: string;
  caption: string | null;
  checked: boolean;
}
export interface CriterionView {
  key: string;
  id: string;
  label: string;
  hint: string;
  options: OptionView[];
  dontKnow: OptionView;
}
export interface TopicView {
  code: string;
  id: string;
  name: string;
  description: string;
  nameLang: string | null; // "en" when the text shown is the English fallback
  descriptionLang: string | null;
  missingTranslation: boolean;
  criteria: CriterionView[];
}

function topicView(t: TFunction, a: Assessment, inst: Instrument, topic: QuestionTopic, lang: Lang, values: Record<string, string>): TopicView {
  const source = a.topics.find((x) => x.code === topic.code);
  const fallback = (text: Partial<Record<Lang, string>> | undefined) => (lang !== 'en' && localized(text, lang).missing ? 'en' : null);
  return {
    code: topic.code,
    id: fieldId(`topic-${inst}-${topic.code}`),
    name: topic.name,
    description: topic.description,
    nameLang: fallback(source?.name),
    descriptionLang: topic.description ? fallback(source?.description) : null,
    missingTranslation: topic.missingTranslation,
    criteria: topic.criteria.map((c) => {
      const key = fieldKey(inst, topic.code, c);
      const id = fieldId(key);
      const text = criterionText(t, inst, c);
      const option = (value: string, label: string, caption: string | null): OptionView => ({
        value,
        // The first option carries the field's own id, so links to the field land on it.
        id: value === '1' ? id : `${id}-${value}`,
        label,
        caption,
        checked: ownValue(values, key) === value,
      });
      return {
        key,
        id,
        label: text.label,
        hint: text.hint,
        options: ['1', '2', '3', '4', '5'].map((v) => option(v, v, v === '1' ? text.low : v === '5' ? text.high : null)),
        dontKnow: option(DONT_KNOW, t('survey.dontKnow'), null),
      };
    }),
  };
}

export interface LangChoice {
  code: Lang;
  label: string;
}

const otherLangs = (t: TFunction, offered: readonly Lang[], lang: Lang): LangChoice[] =>
  offered.filter((l) => l !== lang).map((l) => ({ code: l, label: t(`lang.${l}`) }));

export interface Progress {
  current: number;
  total: number;
  text: string;
}
const progress = (t: TFunction, current: number, pageCount: number): Progress => ({
  current,
  total: pageCount + 1, // the review page counts as the last page
  text: t('survey.progress', { current, total: pageCount + 1 }),
});

export interface QuestionPageInput {
  t: TFunction;
  token: string;
  assessment: Assessment;
  pages: SurveyPage[];
  page: SurveyPage;
  lang: Lang;
  values: Record<string, string>;
}

export function questionPageView({ t, token, assessment, pages, page, lang, values }: QuestionPageInput) {
  const inst = page.instrument.id;
  return {
    title: `${t('survey.progress', { current: page.number, total: pages.length + 1 })} · ${assessment.name}`,
    assessmentName: assessment.name,
    action: surveyPath(token),
    pageNumber: page.number,
    isLast: page.number === pages.length,
    progress: progress(t, page.number, pages.length),
    part: page.parts > 1 ? t('survey.part', { current: page.part, total: page.parts }) : null,
    instrumentName: t(`survey.instrument.${inst}.name`),
    question: t(`survey.instrument.${inst}.question`),
    topics: page.topics.map((topic) => topicView(t, assessment, inst, topic, lang, values)),
    otherLangs: otherLangs(t, assessment.settings.languages, lang),
    lang,
  };
}

export interface ReviewItem {
  key: string;
  topic: string;
  topicLang: string | null;
  criterion: string;
  answer: string | null; // null = not answered
  href: string;
}

function answerText(t: TFunction, inst: Instrument, c: Criterion, v: string | undefined): string | null {
  if (!v || !VALUE_RE.test(v)) return null;
  if (v === DONT_KNOW) return t('survey.dontKnow');
  const text = criterionText(t, inst, c);
  return v === '1' ? `1 – ${text.low}` : v === '5' ? `5 – ${text.high}` : v;
}

export interface ReviewInput {
  t: TFunction;
  token: string;
  assessment: Assessment;
  pages: SurveyPage[];
  lang: Lang;
  values: Record<string, string>;
  missing?: string[];
  invalid?: string[];
}

/** The review page; with `missing`/`invalid`, the error summary links each item to its page and field. */
export function reviewView({ t, token, assessment, pages, lang, values, missing = [], invalid = [] }: ReviewInput) {
  const items = new Map<string, ReviewItem>();
  // One section per instrument (its name labels the section); each answer links to its own page.
  const sections = [...new Set(pages.map((p) => p.instrument))].map((inst) => ({
    id: `review-${inst.id}`,
    instrumentName: t(`survey.instrument.${inst.id}.name`),
    topics: pages
      .filter((p) => p.instrument === inst)
      .flatMap((p) =>
        p.topics.map((topic) => {
          const view = topicView(t, assessment, inst.id, topic, lang, values);
          return {
            name: view.name,
            nameLang: view.nameLang,
            answers: topic.criteria.map((c) => {
              const key = fieldKey(inst.id, topic.code, c);
              const item: ReviewItem = {
                key,
                topic: topic.name,
                topicLang: view.nameLang,
                criterion: criterionText(t, inst.id, c).label,
                answer: answerText(t, inst.id, c, ownValue(values, key)),
                href: `${pageHref(token, p.number)}#${fieldId(key)}`,
              };
              items.set(key, item);
              return item;
            }),
          };
        }),
      ),
  }));
  const all = [...items.values()];
  const errors = [
    ...missing.map((k) => ({ k, msg: 'survey.review.missingItem' })),
    ...invalid.map((k) => ({ k, msg: 'survey.review.invalidItem' })),
  ]
    .filter(({ k }) => items.has(k))
    .map(({ k, msg }) => {
      const item = items.get(k)!;
      return { href: item.href, text: t(msg, { topic: item.topic, criterion: item.criterion }) };
    });
  return {
    title: `${t('survey.review.title')} · ${assessment.name}`,
    assessmentName: assessment.name,
    action: `${surveyPath(token)}/submit`,
    backHref: pages.length ? pageHref(token, pages.length) : `${surveyPath(token)}?page=0`,
    progress: progress(t, pages.length + 1, pages.length),
    answeredText: t('survey.review.answered', { answered: all.filter((i) => i.answer !== null).length, total: all.length }),
    sections,
    errors,
    lang,
  };
}

export interface IntroInput {
  t: TFunction;
  token: string;
  assessment: Assessment;
  groupName: Partial<Record<Lang, string>>;
  personal: boolean;
  pages: SurveyPage[];
  lang: Lang;
  resuming: boolean;
}

export function introView({ t, token, assessment, groupName, personal, pages, lang, resuming }: IntroInput) {
  const text = (src: Partial<Record<Lang, string>> | undefined) => {
    const l = localized(src, lang);
    return { text: l.text, lang: l.missing && lang !== 'en' && l.text ? 'en' : null };
  };
  const topics = new Set(pages.flatMap((p) => p.topics.map((x) => x.code))).size;
  return {
    title: assessment.name,
    assessmentName: assessment.name,
    action: `${surveyPath(token)}/start`,
    group: t('survey.intro.group', { group: localized(groupName, lang).text }),
    intro: text(assessment.settings.intro),
    privacy: text(assessment.settings.privacy),
    expect: t('survey.intro.expect', { topics, pages: pages.length }),
    resume: t(personal ? 'survey.intro.resumePersonal' : 'survey.intro.resumeOpen'),
    startLabel: t(resuming ? 'survey.intro.continue' : 'survey.intro.start'),
    lang,
  };
}
