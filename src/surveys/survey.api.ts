import { NextFunction, Request, Response, Router } from 'express';
import type { Config } from '../config';
import { localized, pickLang, isLang } from '../shared/i18n';
import { AppError } from '../shared/errors';
import { resolveLink, assertOpen, questionnaireFor, submitResponse, SurveyContext } from './survey.service';
import { submitLimiter } from './submit-limit';

/** The respondent API: no account, the link token is the credential. */
export function surveyApi(config: Config): Router {
  const r = Router();

  r.get('/survey/:token', async (req, res) => {
    const ctx = await resolveLink(req.params.token);
    assertOpen(ctx);
    const offered = ctx.assessment.settings.languages;
    const lang = pickLang(req, offered);
    res.json({
      assessment: { name: ctx.assessment.name, languages: offered },
      group: { code: ctx.group.code, name: localized(ctx.group.name, lang).text },
      language: lang,
      instruments: questionnaireFor(ctx, lang).map((i) => ({
        id: i.id,
        mode: i.mode,
        topics: i.topics.map((t) => ({ code: t.code, name: t.name, description: t.description, category: t.category, criteria: t.criteria })),
      })),
    });
  });

  const loadLink = async (req: Request, res: Response, next: NextFunction) => {
    res.locals.survey = await resolveLink(String(req.params.token));
    next();
  };

  r.post('/survey/:token', loadLink, submitLimiter(config), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError(422, 'validation_failed', 'common.validationFailed');
    const ctx = res.locals.survey as SurveyContext;
    const offered = ctx.assessment.settings.languages;
    const lang = isLang(body.locale) && offered.includes(body.locale) ? body.locale : pickLang(req, offered);
    const durationMs = typeof body.durationMs === 'number' && Number.isFinite(body.durationMs) && body.durationMs >= 0 ? Math.round(body.durationMs) : null;
    const result = await submitResponse(ctx, { answers: body.answers, lang, durationMs, userAgent: req.headers['user-agent'] });
    res.status(201).json(result);
  });

  return r;
}
