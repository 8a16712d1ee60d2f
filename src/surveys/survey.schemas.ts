import { z } from 'zod';
import { LANGS } from '../shared/i18n';

// Every body a respondent route accepts, parsed here and nowhere else. What a valid *answer* is
// depends on the questionnaire of the link, so the submission service judges the answers
// (validateAnswers names every bad item); these schemas judge the envelope around them.

/** A day: no questionnaire takes longer, so a larger figure is a client's unit or clock error. */
export const MAX_DURATION_MS = 86_400_000;

const duration = z
  .number('survey.durationRange')
  .min(0, 'survey.durationRange')
  .max(MAX_DURATION_MS, 'survey.durationRange')
  // null was always read as "not measured"; clients that send it keep working.
  .nullish()
  .transform((ms) => (ms === null || ms === undefined ? null : Math.round(ms)));

/**
 * POST /api/v1/survey/:token. Unknown fields are refused, not ignored: a misspelt `submissionId`
 * would otherwise silently turn a client's retry into a second response.
 */
export const submissionBody = z.strictObject(
  {
    answers: z.array(z.unknown(), 'survey.answersArray'),
    // Any text: a language the assessment does not offer falls back to the browser's, as before.
    locale: z.string('survey.localeText').nullish(),
    durationMs: duration,
    /** Chosen by the client once per submission: a retry with the same one stores nothing new. */
    submissionId: z.uuid('survey.submissionIdFormat').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'survey.unknownFields' : undefined) },
);
export type SubmissionBody = z.infer<typeof submissionBody>;

const lang = z.enum(LANGS).optional();

/** The intro's Start and the review page's Submit carry only the language the page was shown in. */
export const langForm = z.object({ lang });

/** The review page's Submit: its language and the submission id the page was rendered with. */
export const submitForm = z.object({ lang, submissionId: z.uuid().optional().catch(undefined) });

/**
 * A questionnaire page: which page it was, the button pressed (next, back, or a language to switch
 * to), and the answers, one field per field key. The answer fields stay as posted: only the keys
 * the page asks, with a valid value, reach the draft (pickValues).
 */
export const pageForm = z
  .looseObject({
    page: z.coerce.number().int().min(1).max(10_000),
    nav: z.enum(['next', 'back']).optional(),
    switchLang: lang,
    lang,
  })
  .transform(({ page, nav, switchLang, lang, ...fields }) => ({
    page,
    nav,
    switchLang,
    lang,
    fields,
  }));
export type PageForm = z.infer<typeof pageForm>;

/** JavaScript's autosave (JSON): one answer or a whole page of them, by field key. */
export const autosaveBody = z.object({ values: z.record(z.string(), z.unknown()), lang });
export type AutosaveBody = z.infer<typeof autosaveBody>;
