import { Router } from 'express';
import { previewPage } from './pages/preview.loader';

/** The questionnaire exactly as a respondent of one group sees it, read-only. */
export function previewRoutes(): Router {
  const router = Router();

  router.get('/assessments/:id/preview', async (req, res) => {
    const page = await previewPage(req.user, req.params.id, req.query.group, req.query.lang);
    res.render('assessments/preview', {
      title: `${res.locals.t('assess.preview.title')} · ${page.assessment.name}`,
      tab: 'preview',
      ...page,
    });
  });

  return router;
}
