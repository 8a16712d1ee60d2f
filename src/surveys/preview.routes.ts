import { Router } from 'express';
import { previewPage } from './pages/preview.loader';

/**
 * The questionnaire exactly as a respondent of one group sees it, read-only, in a phone-width frame.
 * Its language is `?qlang=` (`?lang=` is the staff page's own language).
 */
export function previewRoutes(): Router {
  const router = Router();

  router.get('/assessments/:id/preview', async (req, res) => {
    const page = await previewPage(req.user, req.params.id, req.query.group, req.query.qlang);
    res.render('assessments/preview', {
      title: `${res.locals.t('assess.preview.title')} · ${page.assessment.name}`,
      tab: 'preview',
      wide: true,
      ...page,
    });
  });

  return router;
}
