import { dict, ownValue } from '../../scoring';
import {
  fieldKey,
  type QuestionInstrument,
  type QuestionTopic,
} from '../../responses/questionnaire';

// How the questionnaire is cut into pages, and which posted values a page may keep.

export const TOPICS_PER_PAGE = 6;
const VALUE_RE = /^(?:[1-5]|dk)$/; // dk: DONT_KNOW

/** A value a draft may hold: 1..5, or "don't know". */
export const isAnswerValue = (v: unknown): v is string => typeof v === 'string' && VALUE_RE.test(v);

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
      pages.push({
        number: pages.length + 1,
        instrument: inst,
        topics: inst.topics.slice(i * size, (i + 1) * size),
        part: idx + 1,
        parts: asked.length,
      });
    }
  });
  return pages;
}

export const pageKeys = (p: SurveyPage) =>
  p.topics.flatMap((t) => t.criteria.map((c) => fieldKey(p.instrument.id, t.code, c)));

/** Every field key of the questionnaire (what autosave may save). */
export const questionKeys = (q: QuestionInstrument[]) =>
  q.flatMap((i) => i.topics.flatMap((t) => t.criteria.map((c) => fieldKey(i.id, t.code, c))));

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
    if (isAnswerValue(v)) out[k] = v;
  }
  return out;
}
