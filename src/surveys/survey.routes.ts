import { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { BROWSER_COOKIE } from '../shared/csrf';
import { AppError } from '../shared/errors';
import { wantsJson } from '../shared/http';
import { LANGS, pickLang, setLang } from '../shared/i18n';
import { parse } from '../shared/validate';
import { fieldKey } from '../responses/questionnaire';
import { submitLimiter } from './submit-limit';
import { chooseLang, rememberLang, saveAnswers, submitDraft, visit, type Visit } from './survey.flow';
import { introView, pageHref, pageKeys, paginate, pickValues, questionPageView, resumePage, reviewView, surveyPath } from './survey.presenter';
import { questionnaireFor, resolveLink, type SurveyContext } from './survey.service';

const lang = z.enum(LANGS).optional();
const pageBody = z.object({ page: z.coerce.number().int().min(1).max(10_000), nav: z.enum(['next', 'back']).optional(), switchLang: lang, lang }).loose();
const langBody = z.object({ lang }).loose();
const autosaveBody = z.object({ values: z.record(z.string(), z.unknown()), lang });

const ctxOf = (res: Response) => res.locals.survey as SurveyContext;
const browserOf = (req: Request) => String(req.cookies?.[BROWSER_COOKIE] ?? '');
const offeredOf = (res: Response) => ctxOf(res).assessment.settings.languages;
const tokenOf = (req: Request) => String(req.params.token);

/**
 * Resolves the link before anything else: the submit limiter keys on it, and error pages then speak
 * one of the assessment's languages. Only the bare GET of the link counts as "opened".
 */
const loadLink =
  ({ opening = false } = {}) =>
  async (req: Request, res: Response, next: NextFunction) => {
    const ctx = await resolveLink(tokenOf(req), { countOpen: opening && req.query.page === undefined });
    res.locals.survey = ctx;
    const offered = ctx.assessment.settings.languages;
    setLang(req, res, chooseLang(offered, req.query.lang, undefined, pickLang(req, offered)));
    next();
  };

/** Loads the draft and settles the language; the layout then renders in it. */
async function start(req: Request, res: Response, explicitLang: unknown): Promise<Visit> {
  const offered = offeredOf(res);
  const v = await visit(ctxOf(res), browserOf(req), explicitLang, pickLang(req, offered));
  setLang(req, res, v.lang);
  return v;
}

// Respondents have no account: the staff navigation stays hidden even for a logged-in colleague.
const page = (res: Response, view: string, locals: object, status = 200) =>
  res.status(status).render(`surveys/${view}`, { user: undefined, offeredLangs: res.locals.survey ? offeredOf(res) : LANGS, ...locals });

function resumeHref(token: string, v: Visit, values: Record<string, string>) {
  const n = resumePage(paginate(questionnaireFor(v.ctx, v.lang)), values);
  return n === null ? `${surveyPath(token)}/review` : pageHref(token, n);
}

function review(req: Request, res: Response, v: Visit, missing?: string[], invalid?: string[]) {
  const view = reviewView({ t: res.locals.t, token: tokenOf(req), assessment: v.ctx.assessment, pages: paginate(questionnaireFor(v.ctx, v.lang)), lang: v.lang, values: v.draft?.values ?? {}, missing, invalid });
  page(res, 'review', view, missing || invalid ? 422 : 200);
}

/** Respondent pages under /s/:token (no account: the link token is the credential). */
export function surveyRoutes(config: Config): Router {
  const router = Router();

  // Intro, a questionnaire page (?page=N), or, with a draft and no page asked for, where the respondent left off.
  router.get('/s/:token', loadLink({ opening: true }), async (req, res) => {
    const v = await start(req, res, req.query.lang);
    await rememberLang(v);
    const token = tokenOf(req);
    const pages = paginate(questionnaireFor(v.ctx, v.lang));
    const asked = req.query.page;
    if (asked === undefined && v.draft) return res.redirect(303, resumeHref(token, v, v.draft.values));
    if (asked === undefined || asked === '0') {
      const { assessment, group, link } = v.ctx;
      return page(res, 'intro', introView({ t: res.locals.t, token, assessment, groupName: group.name, personal: link.kind === 'personal', pages, lang: v.lang, resuming: !!v.draft }));
    }
    const current = pages[Number(asked) - 1];
    if (!current || !/^\d+$/.test(String(asked))) return res.redirect(303, resumeHref(token, v, v.draft?.values ?? {}));
    // The header's ?lang= links would drop unsaved answers without JavaScript; the form has its own switch.
    page(res, 'page', { ...questionPageView({ t: res.locals.t, token, assessment: v.ctx.assessment, pages, page: current, lang: v.lang, values: v.draft?.values ?? {} }), offeredLangs: [] });
  });

  // Start: creates the draft (its start time measures the duration), then goes to the first open page.
  router.post('/s/:token/start', loadLink(), async (req, res) => {
    const body = parse(langBody, req.body);
    const v = await start(req, res, body.lang);
    const draft = await saveAnswers(v, {});
    res.redirect(303, resumeHref(tokenOf(req), v, draft.values));
  });

  // A page of answers: saved to the draft whichever button was pressed (next, back or a language).
  router.post('/s/:token', loadLink(), async (req, res) => {
    const body = parse(pageBody, req.body);
    const v = await start(req, res, body.switchLang ?? body.lang);
    const token = tokenOf(req);
    const pages = paginate(questionnaireFor(v.ctx, v.lang));
    const current = pages[body.page - 1];
    if (!current) return res.redirect(303, resumeHref(token, v, v.draft?.values ?? {}));
    await saveAnswers(v, pickValues(pageKeys(current), req.body));
    if (body.switchLang) return res.redirect(303, pageHref(token, current.number, v.lang));
    if (body.nav === 'back') return res.redirect(303, current.number > 1 ? pageHref(token, current.number - 1) : `${surveyPath(token)}?page=0`);
    res.redirect(303, current.number < pages.length ? pageHref(token, current.number + 1) : `${surveyPath(token)}/review`);
  });

  // JavaScript's autosave: one answer (or the whole page) at a time, JSON in and out.
  router.post('/s/:token/autosave', loadLink(), async (req, res) => {
    const body = parse(autosaveBody, req.body);
    const v = await start(req, res, body.lang);
    const keys = questionnaireFor(v.ctx, v.lang).flatMap((i) => i.topics.flatMap((t) => t.criteria.map((c) => fieldKey(i.id, t.code, c))));
    const values = pickValues(keys, body.values);
    const draft = await saveAnswers(v, values);
    res.json({ saved: Object.keys(values).length, updatedAt: draft.updatedAt });
  });

  router.get('/s/:token/review', loadLink(), async (req, res) => {
    const v = await start(req, res, req.query.lang);
    await rememberLang(v);
    review(req, res, v);
  });

  // The final POST: complete → stored and 303 to thanks; anything missing → 422 review, nothing stored.
  router.post('/s/:token/submit', loadLink(), submitLimiter(config), async (req, res) => {
    const body = parse(langBody, req.body);
    const v = await start(req, res, body.lang);
    const outcome = await submitDraft(v, req.headers['user-agent']);
    if (!outcome.ok) return review(req, res, v, outcome.missing, outcome.invalid);
    res.redirect(303, `${surveyPath(tokenOf(req))}/thanks?lang=${v.lang}`);
  });

  // Shown after a submission, so it needs neither an open assessment nor a draft.
  router.get('/s/:token/thanks', loadLink(), (req, res) => {
    page(res, 'thanks', { title: res.locals.t('survey.thanks.title'), assessmentName: ctxOf(res).assessment.name });
  });

  router.use(surveyErrorPage);
  return router;
}

const MESSAGE_TITLES: Record<string, string> = {
  not_found: 'survey.unknownTitle',
  assessment_not_open: 'survey.closedTitle',
  already_submitted: 'survey.alreadyTitle',
  rate_limited: 'survey.tooManyTitle',
};

/**
 * Respondents get a plain page for an unknown link, a closed survey, a used personal link or too many
 * submissions, without the staff error page's links. JSON callers (autosave) get the central JSON error.
 */
function surveyErrorPage(err: unknown, req: Request, res: Response, next: NextFunction) {
  if (!(err instanceof AppError) || !MESSAGE_TITLES[err.code] || wantsJson(req) || res.headersSent) return next(err);
  const t = res.locals.t;
  // A used personal link is a normal state to look at (200); re-posting to it is a conflict (409).
  const status = err.code === 'already_submitted' && req.method === 'GET' ? 200 : err.status;
  const message = err.status === 404 ? 'survey.unknownLink' : err.message;
  const ctx = res.locals.survey as SurveyContext | undefined;
  page(res, 'message', { title: t(MESSAGE_TITLES[err.code]), message: t(message), assessmentName: ctx?.assessment.name ?? null }, status);
}
