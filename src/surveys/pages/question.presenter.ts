import type { TFunction } from 'i18next';
import { ownValue, type Criterion } from '../../scoring';
import type { Assessment, Instrument } from '../../assessments/model/assessment.types';
import { localized, type Lang } from '../../shared/i18n';
import { DONT_KNOW, fieldKey, type QuestionTopic } from '../../responses/questionnaire';
import { fieldId, surveyPath } from './hrefs';
import type { SurveyPage } from './pagination';

// The view model of a questionnaire page; the review page shows the same topics and criteria.

export function criterionText(t: TFunction, instrument: Instrument, c: Criterion) {
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

export function topicView(
  t: TFunction,
  a: Assessment,
  inst: Instrument,
  topic: QuestionTopic,
  lang: Lang,
  values: Record<string, string>,
): TopicView {
  const source = a.topics.find((x) => x.code === topic.code);
  const fallback = (text: Partial<Record<Lang, string>> | undefined) =>
    lang !== 'en' && localized(text, lang).missing ? 'en' : null;
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
        options: ['1', '2', '3', '4', '5'].map((v) =>
          option(v, v, v === '1' ? text.low : v === '5' ? text.high : null),
        ),
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
export const progress = (t: TFunction, current: number, pageCount: number): Progress => ({
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

export function questionPageView({
  t,
  token,
  assessment,
  pages,
  page,
  lang,
  values,
}: QuestionPageInput) {
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
