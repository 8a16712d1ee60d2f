import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import { requireRole } from '../auth/auth.middleware';
import { codeSchema } from '../assessments/model/assessment.schemas';
import { getAssessment } from '../assessments/services/assessment.service';
import { head } from '../assessments/pages/page.presenter';
import { formRoute } from '../shared/form';
import { translator } from '../shared/i18n';
import { deleteInvitees } from './invitees-delete';
import { backForm, remindForm, sendForm, setupForm } from './mail.forms';
import { PLACEHOLDER_VARS } from './mail.locales';
import { outbox } from './messages.service';
import { queueInvitations, queueReminders } from './queue.service';
import { mailSetupView, saveMailSetup } from './setup.service';

const id = (req: Request) => String(req.params.id);
/**
 * Back to the invitations page, filtered by the group it was posted from. `back` is what the form
 * sent: only a well-formed group code is kept (anything else shows every group), so a posted value
 * cannot make the redirect's header as long as it likes.
 */
const back = (req: Request, group: string, done: string, n: number) => {
  const kept = codeSchema.safeParse(group).success ? group : '';
  return `/assessments/${encodeURIComponent(id(req))}/invitations?${
    kept ? `group=${encodeURIComponent(kept)}&` : ''
  }done=${done}&n=${n}#mail`;
};

/** The e-mail pages: the forms of the invitations page, the settings page and the admins' outbox. */
export function mailRoutes(config: Config): Router {
  const router = Router();

  router.post(
    '/assessments/:id/invitations/send',
    formRoute({
      form: sendForm,
      call: async (f, req) => ({
        back: f.back,
        n: (await queueInvitations(req.user, id(req), f.input, config.publicUrl)).queued,
      }),
      redirect: (r, req) => back(req, r.back, 'mailQueued', r.n),
    }),
  );
  router.post(
    '/assessments/:id/invitations/remind',
    formRoute({
      form: remindForm,
      call: async (f, req) => ({
        back: f.back,
        n: (await queueReminders(req.user, id(req), f.input, config.publicUrl)).queued,
      }),
      redirect: (r, req) => back(req, r.back, 'remindersQueued', r.n),
    }),
  );
  router.post(
    '/assessments/:id/invitations/delete-invitees',
    formRoute({
      form: backForm,
      call: async (f, req) => ({
        back: f.back ?? '',
        n: (await deleteInvitees(req.user, id(req))).links,
      }),
      redirect: (r, req) => back(req, r.back, 'inviteesDeleted', r.n),
    }),
  );

  const settings = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const a = await getAssessment(req.user, id(req));
    const t = translator(req.lang);
    const view = await mailSetupView(req.user, a._id, config.publicUrl, (lang) =>
      translator(lang)('mail.settings.sampleName'),
    );
    res.render('mail/settings', {
      title: `${t('mail.settings.title')} · ${a.name}`,
      tab: 'invitations',
      assessment: head(a, req.user),
      languages: a.settings.languages,
      view,
      ph: PLACEHOLDER_VARS,
      values: null,
      errors: {},
      notice: req.query.done === 'mailSaved' ? t('mail.done.mailSaved') : null,
      ...extra,
    });
  };
  router.get('/assessments/:id/invitations/email', (req, res) => settings(req, res));
  router.post(
    '/assessments/:id/invitations/email',
    formRoute({
      form: setupForm,
      call: (input, req) => saveMailSetup(req.user, id(req), input),
      redirect: (_r, req) =>
        `/assessments/${encodeURIComponent(id(req))}/invitations/email?done=mailSaved`,
      invalid: (f, req, res) => settings(req, res, { values: f.values, errors: f.errors }),
      hints: {},
    }),
  );

  router.get('/outbox', requireRole('manageUsers'), async (req, res) => {
    res.render('mail/outbox', {
      title: translator(req.lang)('mail.outbox.title'),
      smtpConfigured: !!config.mail.smtpUrl,
      messages: await outbox(req.user),
    });
  });
  return router;
}
