import { ownValue, requiredCriteria, respondentScore, type Criterion } from '../scoring';
import type { Assessment, Group, Instrument, Topic } from '../assessments/model/assessment.types';
import { localized, type Lang } from '../shared/i18n';
import { ValidationError, type FieldError } from '../shared/errors';
import type { AnswerDoc } from './response.model';

export interface QuestionTopic {
  code: string;
  name: string;
  description: string;
  category: 'E' | 'S' | 'G';
  missingTranslation: boolean;
  criteria: Criterion[];
}

export interface QuestionInstrument {
  id: Instrument;
  mode: 'rating' | 'assessment';
  topics: QuestionTopic[];
}

/** What a respondent of `group` is asked, in `lang` (English where a translation is missing). */
export function buildQuestionnaire(a: Assessment, group: Group, lang: Lang): QuestionInstrument[] {
  return (['impact', 'financial'] as const)
    .filter((id) => group.instruments.includes(id))
    .map((id) => {
      const mode = a.settings.instruments[id].mode;
      return {
        id,
        mode,
        topics: a.topics.map((t) => questionTopic(t, id, mode, lang)),
      };
    });
}

function questionTopic(
  t: Topic,
  id: Instrument,
  mode: 'rating' | 'assessment',
  lang: Lang,
): QuestionTopic {
  const name = localized(t.name, lang);
  const description = localized(t.description, lang);
  return {
    code: t.code,
    name: name.text,
    description: description.text,
    category: t.category,
    missingTranslation: name.missing || (description.missing && !!description.text),
    criteria: requiredCriteria(id, mode, t.impactProfile),
  };
}

export const fieldKey = (instrument: string, topic: string, criterion: string) =>
  `${instrument}:${topic}:${criterion}`;
export const DONT_KNOW = 'dk';

/**
 * Draft form values -> answers, plus the keys still unanswered (for the error summary). Keys contain
 * user-chosen topic codes, so values are read by own key only (see scoring/own-key.ts).
 */
export function answersFromValues(
  q: QuestionInstrument[],
  values: Record<string, string | undefined>,
) {
  const answers: AnswerDoc[] = [];
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const inst of q) {
    for (const t of inst.topics) {
      const answer: AnswerDoc = { instrument: inst.id, topic: t.code };
      for (const c of t.criteria) {
        const key = fieldKey(inst.id, t.code, c);
        const v = ownValue(values, key);
        if (v === undefined || v === '') missing.push(key);
        else if (v === DONT_KNOW) answer[c] = null;
        else if (/^[1-5]$/.test(v)) answer[c] = Number(v);
        else invalid.push(key);
      }
      answers.push(answer);
    }
  }
  return { answers, missing, invalid };
}

/**
 * Checks API answers against the questionnaire: every asked criterion present as 1..5 or null, no
 * unknown instrument, topic or criterion, no duplicates. Throws a 422 naming every problem.
 */
export function validateAnswers(q: QuestionInstrument[], input: unknown): AnswerDoc[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(input))
    throw new ValidationError([{ path: 'answers', message: 'survey.answersArray' }]);
  const byKey = new Map<string, Record<string, unknown>>();
  input.forEach((raw, i) => {
    const a = raw as Record<string, unknown>;
    if (
      !a ||
      typeof a !== 'object' ||
      typeof a.instrument !== 'string' ||
      typeof a.topic !== 'string'
    ) {
      errors.push({ path: `answers.${i}`, message: 'survey.answerShape' });
      return;
    }
    const inst = q.find((x) => x.id === a.instrument);
    const topic = inst?.topics.find((t) => t.code === a.topic);
    if (!inst || !topic) {
      errors.push({ path: `answers.${i}`, message: 'survey.unknownItem' });
      return;
    }
    const key = `${a.instrument}:${a.topic}`;
    if (byKey.has(key)) errors.push({ path: `answers.${i}`, message: 'survey.duplicateAnswer' });
    byKey.set(key, a);
    for (const k of Object.keys(a)) {
      if (k !== 'instrument' && k !== 'topic' && !topic.criteria.includes(k as Criterion)) {
        errors.push({ path: `answers.${i}.${k}`, message: 'survey.unknownCriterion' });
      }
    }
  });
  const answers: AnswerDoc[] = [];
  for (const inst of q) {
    for (const t of inst.topics) {
      const a = byKey.get(`${inst.id}:${t.code}`);
      const answer: AnswerDoc = { instrument: inst.id, topic: t.code };
      for (const c of t.criteria) {
        const v = a && Object.hasOwn(a, c) ? a[c] : undefined;
        if (v === undefined)
          errors.push({ path: fieldKey(inst.id, t.code, c), message: 'survey.missing' });
        else if (v === null) answer[c] = null;
        else if (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5)
          answer[c] = v as number;
        else errors.push({ path: fieldKey(inst.id, t.code, c), message: 'survey.range' });
      }
      answers.push(answer);
    }
  }
  if (errors.length) throw new ValidationError(errors);
  return answers;
}

/** Respondent scores of one response, per topic and axis (null = "don't know"). */
export function scoresOf(
  a: Assessment,
  answers: AnswerDoc[],
): { topic: string; axis: Instrument; x: number | null }[] {
  const topics = new Map(a.topics.map((t) => [t.code, t]));
  return answers.flatMap((ans) => {
    const t = topics.get(ans.topic);
    if (!t) return [];
    return [
      {
        topic: ans.topic,
        axis: ans.instrument,
        x: respondentScore(
          ans.instrument,
          a.settings.instruments[ans.instrument].mode,
          ans,
          t.impactProfile,
        ),
      },
    ];
  });
}
