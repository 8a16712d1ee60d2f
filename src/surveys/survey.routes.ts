import {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { Config } from '../config';
import { BROWSER_COOKIE } from '../shared/csrf';
import { AppError } from '../shared/errors';
import { wantsJson } from '../shared/http';
import { LANGS, pickLang, setLang } from '../shared/i18n';
import { parse } from '../shared/validate';
import { brandView } from './pages/brand';
import * as flow from './pages/survey.flow';
import { serveLogo } from './logo.routes';
import { chooseLang } from './pages/visit';
import { submitLimiter } from './submit-limit';
import { keepSurvey, loadedSurvey, surveyOf, tokenOf } from './survey.loader';
import { autosaveBody, langForm, pageForm, submitForm } from './survey.schemas';
import { resolveLink } from './survey.service';

// Respondent pages under /s/:token (no account: the link token is the credential). Each route
// parses its input, asks the flow (pages/survey.flow.ts) what to answer, and answers it.

const browserOf = (req: Request) => String(req.cookies?.[BROWSER_COOKIE] ?? '');

/**
 * Resolves the link before anything else: the submit limiter keys on it, and error pages then speak
 * one of the assessment's languages. No GET changes anything (an "open" is counted on the first
 * POST: see countOpened).
 */
const loadLink = (): RequestHandler => async (req, res, next) => {
  const ctx = await resolveLink(tokenOf(req));
  keepSurvey(res, ctx);
  const offered = ctx.assessment.settings.languages;
  setLang(req, res, chooseLang(offered, req.query.lang, undefined, pickLang(req, offered)));
  next();
};

function respondent(req: Request, res: Response): flow.Respondent {
  const ctx = surveyOf(res);
  return {
    ctx,
    token: tokenOf(req),
    browserId: browserOf(req),
    browserLang: pickLang(req, ctx.assessment.settings.languages),
    userAgent: req.headers['user-agent'],
    speak: (lang) => setLang(req, res, lang),
  };
}

/** Carries out what the flow decided. Respondents have no account: the staff navigation stays hidden even for a logged-in colleague. */
function answer(res: Response, outcome: flow.PageOutcome) {
  if ('redirect' in outcome) return res.redirect(303, outcome.redirect);
  const assessment = loadedSurvey(res)?.assessment;
  const offeredLangs = assessment?.settings.languages ?? LANGS;
  // The organisation replaces the product's name in the header, in the language the page speaks.
  const orgBrand = brandView(res.locals.t, assessment, res.locals.lang);
  res.status(outcome.status).render(`surveys/${outcome.view}`, {
    user: undefined,
    offeredLangs,
    orgBrand,
    ...outcome.model,
  });
}

type Step = (r: flow.Respondent, req: Request) => flow.PageOutcome | Promise<flow.PageOutcome>;
const page =
  (step: Step): RequestHandler =>
  async (req, res) =>
    answer(res, await step(respondent(req, res), req));

export function surveyRoutes(config: Config): Router {
  const router = Router();
  router.get('/s/logo/:assessmentId/:hash', serveLogo);
  router.get(
    '/s/:token',
    loadLink(),
    page((r, req) => flow.landing(r, req.query)),
  );
  router.post(
    '/s/:token/start',
    loadLink(),
    page((r, req) => flow.begin(r, parse(langForm, req.body))),
  );
  router.post(
    '/s/:token',
    loadLink(),
    page((r, req) => flow.savePage(r, parse(pageForm, req.body))),
  );
  router.post('/s/:token/autosave', loadLink(), async (req, res) => {
    res.json(await flow.autosave(respondent(req, res), parse(autosaveBody, req.body)));
  });
  router.get(
    '/s/:token/review',
    loadLink(),
    page((r, req) => flow.reviewPage(r, req.query)),
  );
  router.post(
    '/s/:token/submit',
    loadLink(),
    submitLimiter(config),
    page((r, req) => flow.submit(r, parse(submitForm, req.body))),
  );
  router.get(
    '/s/:token/thanks',
    loadLink(),
    page((r) => flow.thanks(r)),
  );
  router.use(surveyErrorPage);
  return router;
}

/**
 * Respondents get a plain page for an unknown link, a closed survey, a used personal link or too many
 * submissions, without the staff error page's links. JSON callers (autosave) get the central JSON error.
 */
function surveyErrorPage(err: unknown, req: Request, res: Response, next: NextFunction) {
  const outcome =
    err instanceof AppError && !wantsJson(req) && !res.headersSent
      ? flow.failure(res.locals.t, err, req.method, loadedSurvey(res))
      : null;
  if (!outcome) return next(err);
  answer(res, outcome);
}
