import type { TFunction } from 'i18next';
import { ownValue, type Criterion } from '../../scoring';
import type { Assessment, Instrument } from '../../assessments/model/assessment.types';
import type { Lang } from '../../shared/i18n';
import { DONT_KNOW, fieldKey } from '../../responses/questionnaire';
import { fieldId, introHref, pageHref, surveyPath } from './hrefs';
import { isAnswerValue, type SurveyPage } from './pagination';
import { criterionText, progress, topicView } from './question.presenter';

// The view model of the review page: every answer, each linking to its own page.

export interface ReviewItem {
  key: string;
  topic: string;
  topicLang: string | null;
  criterion: string;
  answer: string | null; // null = not answered
  href: string;
}

function answerText(
  t: TFunction,
  inst: Instrument,
  c: Criterion,
  v: string | undefined,
): string | null {
  if (!isAnswerValue(v)) return null;
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
  /** The submission's id, kept across a retry of the same form (one response, whatever the retries). */
  submissionId: string;
  /** The last submission failed and stored nothing: say so above the answers, which are kept. */
  notSent?: boolean;
}

/** The review page; with `missing`/`invalid`, the error summary links each item to its page and field. */
export function reviewView({
  t,
  token,
  assessment,
  pages,
  lang,
  values,
  missing = [],
  invalid = [],
  submissionId,
  notSent = false,
}: ReviewInput) {
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
  // Keys the questionnaire no longer asks have no item to link to: they are left out.
  const errors = [
    ...missing.map((k) => ({ k, msg: 'survey.review.missingItem' })),
    ...invalid.map((k) => ({ k, msg: 'survey.review.invalidItem' })),
  ].flatMap(({ k, msg }) => {
    const item = items.get(k);
    return item
      ? [{ href: item.href, text: t(msg, { topic: item.topic, criterion: item.criterion }) }]
      : [];
  });
  return {
    title: `${t('survey.review.title')} · ${assessment.name}`,
    assessmentName: assessment.name,
    action: `${surveyPath(token)}/submit`,
    backHref: pages.length ? pageHref(token, pages.length) : introHref(token),
    progress: progress(t, pages.length + 1, pages.length),
    answeredText: t('survey.review.answered', {
      answered: all.filter((i) => i.answer !== null).length,
      total: all.length,
    }),
    sections,
    errors,
    lang,
    submissionId,
    notSent: notSent
      ? { title: t('survey.notSent.title'), message: t('survey.notSent.message') }
      : null,
  };
}
