import { Router, type RequestHandler } from 'express';
import type { Config } from '../config';
import { isLang, localized, pickLang } from '../shared/i18n';
import { parse } from '../shared/validate';
import { submitLimiter } from './submit-limit';
import { keepSurvey, surveyOf, tokenOf } from './survey.loader';
import { submissionBody } from './survey.schemas';
import { assertOpen, questionnaireFor, resolveLink, submitResponse } from './survey.service';

/** The link comes first: the submit limiter keys on it, and an unknown link is 404 whatever the body. */
const loadLink: RequestHandler = async (req, res, next) => {
  keepSurvey(res, await resolveLink(tokenOf(req)));
  next();
};

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
        topics: i.topics.map((t) => ({
          code: t.code,
          name: t.name,
          description: t.description,
          category: t.category,
          criteria: t.criteria,
        })),
      })),
    });
  });

  r.post('/survey/:token', loadLink, submitLimiter(config), async (req, res) => {
    const body = parse(submissionBody, req.body);
    const ctx = surveyOf(res);
    const offered = ctx.assessment.settings.languages;
    const lang =
      isLang(body.locale) && offered.includes(body.locale) ? body.locale : pickLang(req, offered);
    const { answers, durationMs, submissionId } = body;
    const result = await submitResponse(ctx, {
      answers,
      lang,
      durationMs,
      submissionId,
      userAgent: req.headers['user-agent'],
    });
    res.status(201).json(result);
  });

  return r;
}
