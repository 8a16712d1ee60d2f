import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { pickLang, setLang } from '../shared/i18n';
import { field, readForm } from '../shared/form';
import { surveyUrl } from '../invitations/link.service';
import { chooseLang } from '../surveys/pages/visit';
import type { SurveyContext } from '../surveys/survey.service';
import { optOut, optOutLink } from './opt-out.service';

const optOutForm = z.object({ lang: field.optional });

function speak(req: Request, res: Response, ctx: SurveyContext, asked: unknown) {
  const offered = ctx.assessment.settings.languages;
  setLang(req, res, chooseLang(offered, asked, undefined, pickLang(req, offered)));
}

/** /s/:token/opt-out: a page with a POST form (a GET changes nothing: mail scanners follow links). */
export function optOutRoutes(): Router {
  const router = Router();
  router.get('/s/:token/opt-out', async (req, res) => {
    const ctx = await optOutLink(String(req.params.token));
    speak(req, res, ctx, req.query.lang);
    res.render('mail/opt-out', {
      user: undefined,
      offeredLangs: ctx.assessment.settings.languages,
      title: res.locals.t('mail.optOut.title'),
      assessmentName: ctx.assessment.name,
      optedOut: !!ctx.link.optedOutAt,
      action: `/s/${encodeURIComponent(ctx.link._id)}/opt-out`,
      surveyHref: `/s/${encodeURIComponent(ctx.link._id)}`,
      lang: req.lang,
    });
  });
  router.post('/s/:token/opt-out', async (req, res) => {
    const token = String(req.params.token);
    const { lang } = readForm(optOutForm, req);
    await optOut(token);
    const ctx = await optOutLink(token);
    speak(req, res, ctx, lang);
    res.redirect(
      303,
      `${surveyUrl('', ctx.link._id)}/opt-out?lang=${encodeURIComponent(req.lang)}`,
    );
  });
  return router;
}
