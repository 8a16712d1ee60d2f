import { Request, Response, Router } from 'express';
import { ValidationError } from '../../shared/errors';
import { addIro, addTopic, importTopics, moveTopic, removeIro, removeTopic, updateTopic } from '../assessment.service';
import { writeCsv } from '../csv';
import { readTopicFile, TOPIC_COLUMNS, TOPIC_TEMPLATE_EXAMPLE, type TopicRows } from '../topic-import';
import { bodyValues, formErrors, iroInput, iroValues, topicInput, topicValues } from './form-input';
import { topicPage, topicsPage } from './page.loaders';
import { notice, rowErrors, topicErrorLocator } from './page.presenter';
import { MAX_UPLOAD_BYTES, receiveFile } from './upload';

const base = (req: Request) => `/assessments/${req.params.id}`;
const code = (req: Request) => String(req.params.code);

/** The topic list, one topic's page with its IRO register, and the CSV/XLSX import. */
export function topicRoutes(): Router {
  const router = Router();

  const renderTopics = async (req: Request, res: Response, extra: object = {}, status = 200) => {
    const page = await topicsPage(req.user, String(req.params.id));
    res.status(status).render('assessments/topics', {
      title: `${res.locals.t('assess.tabs.topics')} · ${page.assessment.name}`,
      tab: 'topics',
      ...page,
      values: topicValues(),
      errors: {},
      importErrors: [],
      maxUploadMb: MAX_UPLOAD_BYTES / 1024 / 1024,
      notice: notice(res.locals.t, req.query),
      ...extra,
    });
  };

  const renderTopic = async (req: Request, res: Response, extra: object = {}, status = 200) => {
    const page = await topicPage(req.user, String(req.params.id), code(req));
    res.status(status).render('assessments/topic', {
      title: `${page.topic.names[0].text} · ${page.assessment.name}`,
      tab: 'topics',
      ...page,
      errors: {},
      iroValues: iroValues(),
      iroErrors: {},
      notice: notice(res.locals.t, req.query),
      ...extra,
    });
  };

  router.get('/assessments/:id/topics', (req, res) => renderTopics(req, res));

  router.post('/assessments/:id/topics', async (req, res) => {
    try {
      await addTopic(req.user, req.params.id, topicInput(req.body ?? {}));
      res.redirect(303, `${base(req)}/topics?done=topicAdded`);
    } catch (err) {
      const f = formErrors(err);
      await renderTopics(req, res, { values: bodyValues(req.body), errors: f.errors, notice: null }, f.status);
    }
  });

  // A topic code cannot contain a dot, so this never shadows a topic's page.
  router.get('/assessments/:id/topics/template.csv', (_req, res) => {
    res.attachment('topics-template.csv').type('text/csv; charset=utf-8').send(writeCsv([...TOPIC_COLUMNS], [TOPIC_TEMPLATE_EXAMPLE]));
  });

  // Multipart: the CSRF token travels in the URL (checked before this handler runs).
  router.post('/assessments/:id/topic-import', async (req, res) => {
    let parsed: TopicRows | undefined;
    try {
      parsed = await readTopicFile(await receiveFile(req, res));
      const { imported } = await importTopics(req.user, req.params.id, parsed.rows);
      res.redirect(303, `${base(req)}/topics?done=imported&n=${imported}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderTopics(req, res, { importErrors: rowErrors(err, topicErrorLocator(parsed?.sourceRows)), notice: null }, 422);
    }
  });

  router.get('/assessments/:id/topics/:code', (req, res) => renderTopic(req, res));

  router.post('/assessments/:id/topics/:code', async (req, res) => {
    try {
      await updateTopic(req.user, req.params.id, code(req), topicInput(req.body ?? {}, false));
      res.redirect(303, `${base(req)}/topics?done=topicSaved#topic-${code(req)}`);
    } catch (err) {
      const f = formErrors(err);
      await renderTopic(req, res, { values: { ...bodyValues(req.body), code: code(req) }, errors: f.errors, notice: null }, f.status);
    }
  });

  router.post('/assessments/:id/topics/:code/move', async (req, res) => {
    const direction = req.body?.direction === 'up' ? 'up' : 'down';
    await moveTopic(req.user, req.params.id, code(req), direction);
    res.redirect(303, `${base(req)}/topics#topic-${code(req)}`);
  });

  router.get('/assessments/:id/topics/:code/remove', async (req, res) => {
    const page = await topicPage(req.user, req.params.id, code(req));
    res.render('assessments/confirm', {
      title: res.locals.t('assess.topics.removeTitle'),
      tab: 'topics',
      assessment: page.assessment,
      question: res.locals.t('assess.topics.removeQuestion', { name: page.topic.names[0].text, code: page.topic.code }),
      consequence: res.locals.t('assess.topics.removeConsequence', { n: page.iros.length }),
      action: `${base(req)}/topics/${encodeURIComponent(code(req))}/remove`,
      fields: {},
      submit: res.locals.t('assess.topics.remove'),
      cancel: `${base(req)}/topics`,
    });
  });

  router.post('/assessments/:id/topics/:code/remove', async (req, res) => {
    await removeTopic(req.user, req.params.id, code(req));
    res.redirect(303, `${base(req)}/topics?done=topicRemoved`);
  });

  // The IRO register documents a topic; it stays editable after the questionnaire is locked.
  router.post('/assessments/:id/topics/:code/iros', async (req, res) => {
    try {
      await addIro(req.user, req.params.id, iroInput(req.body ?? {}, code(req)));
      res.redirect(303, `${base(req)}/topics/${encodeURIComponent(code(req))}?done=iroAdded#iros`);
    } catch (err) {
      const f = formErrors(err);
      await renderTopic(req, res, { iroValues: bodyValues(req.body), iroErrors: f.errors, notice: null }, f.status);
    }
  });

  router.post('/assessments/:id/topics/:code/iros/:iro/remove', async (req, res) => {
    await removeIro(req.user, req.params.id, req.params.iro);
    res.redirect(303, `${base(req)}/topics/${encodeURIComponent(code(req))}?done=iroRemoved#iros`);
  });

  return router;
}
