import crypto from 'node:crypto';
import type { TFunction } from 'i18next';
import { translator, type Lang } from '../../shared/i18n';
import { AppError } from '../../shared/errors';
import type { PageForm, AutosaveBody } from '../survey.schemas';
import { isStored, questionnaireFor, type SurveyContext } from '../survey.service';
import { introHref, pageHref, reviewHref, thanksHref } from './hrefs';
import { introView } from './intro.presenter';
import { messagePage, thanksView } from './message.presenter';
import {
  pageKeys,
  paginate,
  pickValues,
  questionKeys,
  resumePage,
  type SurveyPage,
} from './pagination';
import { questionPageView } from './question.presenter';
import { reviewView } from './review.presenter';
import { saveAnswers, submitDraft, visit, type Visit } from './visit';

// The respondent's path through the questionnaire pages. Each step decides what the request gets,
// a page with its view model or a redirect, and the route carries it out (survey.routes.ts).

/** What a respondent's request brings to the flow; the route reads it from the request. */
export interface Respondent {
  ctx: SurveyContext;
  token: string;
  browserId: string;
  /** The language before the draft is read: `?lang=`, the language cookie, the browser's. */
  browserLang: Lang;
  userAgent: string | undefined;
  /** Told the language as soon as the visit settles it: the page, and any error page after, speak it. */
  speak: (lang: Lang) => void;
}

export type SurveyView = 'intro' | 'page' | 'review' | 'thanks' | 'message';

/** A page to show (views/surveys/<view>.ejs with this model) or where to go (303 See Other). */
export type PageOutcome =
  { redirect: string } | { view: SurveyView; model: object; status: number };

const redirect = (to: string): PageOutcome => ({ redirect: to });
const show = (view: SurveyView, model: object, status = 200): PageOutcome => ({
  view,
  model,
  status,
});

/** Loads the draft and settles the language; the questionnaire is cut into pages in that language. */
async function enter(r: Respondent, explicitLang: unknown) {
  const v = await visit(r.ctx, r.browserId, explicitLang, r.browserLang);
  r.speak(v.lang);
  return { v, t: translator(v.lang), pages: paginate(questionnaireFor(v.ctx, v.lang)) };
}

/** The first page with something unanswered, or the review page when all is answered. */
function resumeHref(token: string, pages: SurveyPage[], values: Record<string, string>) {
  const n = resumePage(pages, values);
  return n === null ? reviewHref(token) : pageHref(token, n);
}

/** A questionnaire page number as asked in `?page=` (digits only), if there is such a page. */
function askedPage(pages: SurveyPage[], asked: unknown): SurveyPage | undefined {
  return typeof asked === 'string' && /^\d+$/.test(asked) ? pages[Number(asked) - 1] : undefined;
}

/** GET /s/:token: the intro, a questionnaire page (`?page=N`), or, with a draft and no page asked for, where the respondent left off. */
export async function landing(
  r: Respondent,
  query: { page?: unknown; lang?: unknown },
): Promise<PageOutcome> {
  // `?lang=` shows the page in that language without writing: the next POST carries it to the draft.
  const { v, t, pages } = await enter(r, query.lang);
  const values = v.draft?.values ?? {};
  if (query.page === undefined && v.draft)
    return redirect(resumeHref(r.token, pages, v.draft.values));
  if (query.page === undefined || query.page === '0') {
    const { assessment, group, link } = v.ctx;
    return show(
      'intro',
      introView({
        t,
        token: r.token,
        assessment,
        groupName: group.name,
        personal: link.kind === 'personal',
        pages,
        lang: v.lang,
        resuming: !!v.draft,
      }),
    );
  }
  const current = askedPage(pages, query.page);
  if (!current) return redirect(resumeHref(r.token, pages, values));
  // The header's ?lang= links would drop unsaved answers without JavaScript; the form has its own switch.
  return show('page', {
    ...questionPageView({
      t,
      token: r.token,
      assessment: v.ctx.assessment,
      pages,
      page: current,
      lang: v.lang,
      values,
    }),
    offeredLangs: [],
  });
}

/** POST /s/:token/start: creates the draft (its start time measures the duration), then goes to the first open page. */
export async function begin(r: Respondent, form: { lang?: Lang }): Promise<PageOutcome> {
  const { v, pages } = await enter(r, form.lang);
  const draft = await saveAnswers(v, {});
  return redirect(resumeHref(r.token, pages, draft.values));
}

/** POST /s/:token: a page of answers, saved to the draft whichever button was pressed (next, back or a language). */
export async function savePage(r: Respondent, form: PageForm): Promise<PageOutcome> {
  const { v, pages } = await enter(r, form.switchLang ?? form.lang);
  const current = pages[form.page - 1];
  if (!current) return redirect(resumeHref(r.token, pages, v.draft?.values ?? {}));
  await saveAnswers(v, pickValues(pageKeys(current), form.fields));
  const n = current.number;
  if (form.switchLang) return redirect(pageHref(r.token, n, v.lang));
  if (form.nav === 'back') return redirect(n > 1 ? pageHref(r.token, n - 1) : introHref(r.token));
  return redirect(n < pages.length ? pageHref(r.token, n + 1) : reviewHref(r.token));
}

/** POST /s/:token/autosave: JavaScript's autosave, one answer (or the whole page) at a time; answers JSON. */
export async function autosave(
  r: Respondent,
  body: AutosaveBody,
): Promise<{ saved: number; updatedAt: Date }> {
  const { v } = await enter(r, body.lang);
  const values = pickValues(questionKeys(questionnaireFor(v.ctx, v.lang)), body.values);
  const draft = await saveAnswers(v, values);
  return { saved: Object.keys(values).length, updatedAt: draft.updatedAt };
}

function review(
  v: Visit,
  t: TFunction,
  token: string,
  pages: SurveyPage[],
  refused?: { missing: string[]; invalid: string[] },
  retry?: { submissionId: string },
) {
  const submissionId = retry?.submissionId ?? crypto.randomUUID();
  const view = reviewView({
    t,
    token,
    assessment: v.ctx.assessment,
    pages,
    lang: v.lang,
    values: v.draft?.values ?? {},
    ...refused,
    submissionId,
    notSent: !!retry,
  });
  return show('review', view, retry ? 503 : refused ? 422 : 200);
}

/** GET /s/:token/review: every answer, each linking back to its page. */
export async function reviewPage(r: Respondent, query: { lang?: unknown }): Promise<PageOutcome> {
  const { v, t, pages } = await enter(r, query.lang);
  return review(v, t, r.token, pages);
}

/** POST /s/:token/submit: complete → stored and on to the thanks; anything missing → 422 review, nothing stored. */
export async function submit(
  r: Respondent,
  form: { lang?: Lang; submissionId?: string },
): Promise<PageOutcome> {
  const { v, t, pages } = await enter(r, form.lang);
  // The same form posted again after it was stored (a double click, a retry after a lost answer).
  if (!v.draft && r.ctx.link.kind === 'open' && (await isStored(r.ctx, form.submissionId)))
    return redirect(thanksHref(r.token, v.lang));
  let outcome;
  try {
    outcome = await submitDraft(v, r.userAgent, form.submissionId);
  } catch (err) {
    // Not stored (the database is unreachable, or anything else failed): the answers are in the
    // draft, so the review page comes back with them and "not sent, try again", same submission id.
    if (err instanceof AppError && err.status < 500) throw err;
    return review(v, t, r.token, pages, undefined, {
      submissionId: form.submissionId ?? crypto.randomUUID(),
    });
  }
  if (!outcome.ok)
    return review(v, t, r.token, pages, { missing: outcome.missing, invalid: outcome.invalid });
  return redirect(thanksHref(r.token, v.lang));
}

/** GET /s/:token/thanks: shown after a submission, so it needs neither an open assessment nor a draft. */
export function thanks(r: Respondent): PageOutcome {
  return show('thanks', thanksView(translator(r.browserLang), r.ctx.assessment.name));
}

/** The message page for an error a respondent can meet (unknown link, closed, used, too many), else null. */
export function failure(
  t: TFunction,
  err: AppError,
  method: string,
  ctx: SurveyContext | undefined,
): PageOutcome | null {
  const page = messagePage(t, err, method, ctx?.assessment.name ?? null);
  return page && show('message', page.model, page.status);
}
