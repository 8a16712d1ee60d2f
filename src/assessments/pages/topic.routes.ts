import { Request, Response, Router } from 'express';
import { formRoute } from '../../shared/form';
import { addIro, removeIro } from '../services/iro.service';
import {
  addTopic,
  importTopics,
  moveTopic,
  removeTopic,
  updateTopic,
} from '../services/topic.service';
import { writeCsv } from '../../shared/csv';
import { readTopicFile, TOPIC_COLUMNS, TOPIC_TEMPLATE_EXAMPLE } from '../import/topic-import';
import {
  iroForm,
  iroValues,
  moveForm,
  pageForm,
  topicEditForm,
  topicForm,
  topicValues,
} from './form-input';
import { topicPage, topicsPage } from './page.loaders';
import { notice, rowErrors, topicErrorLocator } from './page.presenter';
import { MAX_UPLOAD_BYTES, receiveFile } from './upload';

const id = (req: Request) => String(req.params.id);
const base = (req: Request) => `/assessments/${id(req)}`;
const code = (req: Request) => String(req.params.code);

/** The topic list, one topic's page with its IRO register, and the CSV/XLSX import. */
export function topicRoutes(): Router {
  const router = Router();

  const renderTopics = async (req: Request, res: Response, extra: object = {}) => {
    const page = await topicsPage(req.user, id(req), req.lang);
    res.render('assessments/topics', {
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

  const renderTopic = async (req: Request, res: Response, extra: object = {}) => {
    const page = await topicPage(req.user, id(req), code(req), req.lang);
    res.render('assessments/topic', {
      title: `${page.topic.name} · ${page.assessment.name}`,
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

  router.post(
    '/assessments/:id/topics',
    pageForm({
      form: topicForm,
      call: (input, req) => addTopic(req.user, id(req), input),
      redirect: (_t, req) => `${base(req)}/topics?done=topicAdded`,
      invalid: (f, req, res) =>
        renderTopics(req, res, { values: f.values, errors: f.errors, notice: null }),
    }),
  );

  // A topic code cannot contain a dot, so this never shadows a topic's page.
  router.get('/assessments/:id/topics/template.csv', (_req, res) => {
    res
      .attachment('topics-template.csv')
      .type('text/csv; charset=utf-8')
      .send(writeCsv([...TOPIC_COLUMNS], [TOPIC_TEMPLATE_EXAMPLE]));
  });

  // Multipart: the CSRF token travels in the URL (checked before this handler runs). Errors name
  // sheet rows once the file was read (`input`), and the file's own rows before that.
  router.post(
    '/assessments/:id/topic-import',
    formRoute({
      form: async (req, res) => readTopicFile(await receiveFile(req, res)),
      call: (file, req) => importTopics(req.user, id(req), file.rows),
      redirect: ({ imported }, req) => `${base(req)}/topics?done=imported&n=${imported}`,
      invalid: (f, req, res) =>
        renderTopics(req, res, {
          importErrors: rowErrors(f.error, topicErrorLocator(f.input?.sourceRows)),
          notice: null,
        }),
    }),
  );

  router.get('/assessments/:id/topics/:code', (req, res) => renderTopic(req, res));

  router.post(
    '/assessments/:id/topics/:code',
    pageForm({
      form: topicEditForm,
      call: (input, req) => updateTopic(req.user, id(req), code(req), input),
      redirect: (_t, req) => `${base(req)}/topics?done=topicSaved#topic-${code(req)}`,
      invalid: (f, req, res) =>
        renderTopic(req, res, {
          values: { ...f.values, code: code(req) },
          errors: f.errors,
          notice: null,
        }),
    }),
  );

  router.post(
    '/assessments/:id/topics/:code/move',
    pageForm({
      form: moveForm,
      call: ({ direction }, req) => moveTopic(req.user, id(req), code(req), direction),
      redirect: (_r, req) => `${base(req)}/topics#topic-${code(req)}`,
    }),
  );

  router.get('/assessments/:id/topics/:code/remove', async (req, res) => {
    const page = await topicPage(req.user, req.params.id, code(req), req.lang);
    const t = res.locals.t;
    res.render('assessments/confirm', {
      title: t('assess.topics.removeTitle'),
      tab: 'topics',
      assessment: page.assessment,
      question: t('assess.topics.removeQuestion', { name: page.topic.name, code: page.topic.code }),
      consequence: t('assess.topics.removeConsequence', { n: page.iros.length }),
      action: `${base(req)}/topics/${encodeURIComponent(code(req))}/remove`,
      fields: {},
      submit: t('assess.topics.remove'),
      cancel: `${base(req)}/topics`,
    });
  });

  router.post('/assessments/:id/topics/:code/remove', async (req, res) => {
    await removeTopic(req.user, req.params.id, code(req));
    res.redirect(303, `${base(req)}/topics?done=topicRemoved`);
  });

  // The IRO register documents a topic; it stays editable after the questionnaire is locked.
  router.post(
    '/assessments/:id/topics/:code/iros',
    pageForm({
      form: iroForm,
      call: (input, req) => addIro(req.user, id(req), { topic: code(req), ...input }),
      redirect: (_i, req) =>
        `${base(req)}/topics/${encodeURIComponent(code(req))}?done=iroAdded#iros`,
      invalid: (f, req, res) =>
        renderTopic(req, res, { iroValues: f.values, iroErrors: f.errors, notice: null }),
    }),
  );

  router.post('/assessments/:id/topics/:code/iros/:iro/remove', async (req, res) => {
    await removeIro(req.user, req.params.id, req.params.iro);
    res.redirect(303, `${base(req)}/topics/${encodeURIComponent(code(req))}?done=iroRemoved#iros`);
  });

  return router;
}
