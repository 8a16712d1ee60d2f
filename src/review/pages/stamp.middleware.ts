import type { RequestHandler, Response } from 'express';
import { stampOf } from '../../assessments/model/lookups';
import { loadAssessment, withSharedReads } from '../../assessments/services/assessment.store';
import { translator, type Lang } from '../../shared/i18n';

const ID = /^[a-f0-9]{24}$/;

/**
 * Every page of an assessment (`/assessments/:id/…`) carries the provisional or signed-off stamp,
 * shown by views/review/_stamp.ejs from the tabs, whatever path renders the page. A GET reads the
 * assessment up front (the page's own read then shares it). Any other method (a form post that is
 * refused and re-renders its page with 422) reads it only when it renders, after its write, so the
 * stamp shows the state the page shows.
 */
export function reviewStamp(): RequestHandler {
  return (req, res, next) => {
    const id = String(req.params.id ?? '');
    if (!ID.test(id)) return next();
    if (req.method !== 'GET') {
      stampOnRender(res, id, () => req.lang);
      return next();
    }
    withSharedReads(() => {
      void setStamp(res, id, req.lang).finally(next);
    });
  };
}

const setStamp = (res: Response, id: string, lang: Lang) =>
  loadAssessment(id)
    .then((a) => (res.locals.reviewStamp = stampOf(a, translator(lang))))
    .catch(() => undefined);

/** Sets the stamp just before the response's page is rendered (once, however it is rendered). */
function stampOnRender(res: Response, id: string, lang: () => Lang): void {
  const render = res.render.bind(res) as (...args: unknown[]) => void;
  res.render = (...args: unknown[]) => {
    res.render = render;
    void setStamp(res, id, lang()).finally(() => render(...args));
  };
}
