import { AppError, ValidationError } from '../../shared/errors';
import { isLang, type Lang } from '../../shared/i18n';
import { answersFromValues } from '../../responses/questionnaire';
import {
  alreadySubmitted,
  assertOpen,
  draftId,
  loadDraft,
  questionnaireFor,
  saveDraft,
  submitResponse,
  type SurveyContext,
} from '../survey.service';
import type { DraftDoc } from '../draft.model';

// A respondent's visit to the questionnaire pages, on top of survey.service: every step is a
// handful of primary-key operations (link, assessment, draft, and the response on submit).

export interface Visit {
  ctx: SurveyContext;
  browserId: string;
  draft: DraftDoc | null;
  lang: Lang;
}

/** Explicit choice (a switch, `?lang=`) first, then the draft's language, then the browser's. */
export function chooseLang(
  offered: readonly Lang[],
  explicit: unknown,
  draftLang: string | undefined,
  fallback: Lang,
): Lang {
  if (isLang(explicit) && offered.includes(explicit)) return explicit;
  if (isLang(draftLang) && offered.includes(draftLang)) return draftLang;
  return fallback;
}

/**
 * What every questionnaire page needs: an open assessment, the draft, and a personal link not yet
 * used. A submission deletes the draft, so only a missing draft needs the extra read.
 */
export async function visit(
  ctx: SurveyContext,
  browserId: string,
  explicitLang: unknown,
  fallback: Lang,
): Promise<Visit> {
  assertOpen(ctx);
  const draft = await loadDraft(ctx, browserId);
  if (!draft && (await alreadySubmitted(ctx)))
    throw new AppError(409, 'already_submitted', 'survey.alreadySubmittedMessage');
  const lang = chooseLang(ctx.assessment.settings.languages, explicitLang, draft?.lang, fallback);
  return {
    ctx,
    browserId,
    draft,
    lang,
  };
}

/** Merges answers into the draft (creating it on the first save) in the visit's language. */
export function saveAnswers(v: Visit, values: Record<string, string>): Promise<DraftDoc> {
  return saveDraft(v.ctx, v.browserId, values, v.lang, v.draft);
}

export type SubmitOutcome =
  { ok: true; responseId: string } | { ok: false; missing: string[]; invalid: string[] };

/**
 * Submits the draft. Anything unanswered or invalid comes back for the review page and nothing is
 * stored; submitResponse validates again and its insert is the commit point.
 */
export async function submitDraft(
  v: Visit,
  userAgent: string | undefined,
  submissionId?: string,
): Promise<SubmitOutcome> {
  const q = questionnaireFor(v.ctx, v.lang);
  const { answers, missing, invalid } = answersFromValues(q, v.draft?.values ?? {});
  if (missing.length || invalid.length) return { ok: false, missing, invalid };
  try {
    const { responseId } = await submitResponse(v.ctx, {
      answers,
      lang: v.lang,
      startedAt: v.draft?.startedAt,
      userAgent,
      draftId: draftId(v.ctx, v.browserId),
      submissionId,
    });
    return { ok: true, responseId };
  } catch (err) {
    // Cannot happen while answersFromValues and validateAnswers agree; if they ever differ, show the items.
    if (err instanceof ValidationError)
      return { ok: false, missing: err.fields.map((f) => f.path), invalid: [] };
    throw err;
  }
}
