import { Request, Router } from 'express';
import { LANGS, translator, type Lang } from '../../shared/i18n';
import { appendixModel } from './appendix.service';

const langOf = (req: Request): Lang => {
  const q = req.query.lang;
  return typeof q === 'string' && (LANGS as readonly string[]).includes(q) ? (q as Lang) : req.lang;
};

/** GET /api/v1/assessments/:id/appendix?lang= : the appendix as a standalone HTML document. */
export function appendixApi(): Router {
  const r = Router();
  r.get('/assessments/:id/appendix', async (req, res) => {
    const lang = langOf(req);
    const ap = await appendixModel(req.user, req.params.id, lang);
    res.type('html').render('review/appendix-doc', { ap, tt: translator(lang) });
  });
  return r;
}

/** /assessments/:id/appendix: the same appendix inside the staff pages. */
export function appendixPage(): Router {
  const r = Router();
  r.get('/assessments/:id/appendix', async (req, res) => {
    const lang = langOf(req);
    const ap = await appendixModel(req.user, req.params.id, lang);
    res.render('review/appendix', {
      title: ap.title,
      tab: '',
      assessment: ap.assessment,
      ap,
      tt: translator(lang),
    });
  });
  return r;
}
