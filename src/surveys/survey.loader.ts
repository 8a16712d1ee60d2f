import type { Request, Response } from 'express';
import type { SurveyContext } from './survey.service';

// The resolved link travels from the route's first middleware to the next ones (the submit limiter
// keys on it, error pages name its assessment) on res.locals, which Express types as `any`: these
// accessors are the only readers and writers, so the rest of the code sees a SurveyContext.

export const tokenOf = (req: Request) => String(req.params.token);

export function keepSurvey(res: Response, ctx: SurveyContext): void {
  res.locals.survey = ctx;
}

/** The link resolved earlier in this request, if it was (an unknown link is an error before it). */
export const loadedSurvey = (res: Response) => res.locals.survey as SurveyContext | undefined;

/** The link a previous middleware resolved; a route that did not resolve one is a programming error. */
export function surveyOf(res: Response): SurveyContext {
  const ctx = loadedSurvey(res);
  if (!ctx) throw new Error('the survey link was not resolved before this handler');
  return ctx;
}
