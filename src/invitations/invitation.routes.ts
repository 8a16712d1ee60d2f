import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import { formRoute, readForm } from '../shared/form';
import { pageForm } from '../assessments/pages/form-input';
import { inviteeErrorLocator, notice, rowErrors } from '../assessments/pages/page.presenter';
import { MAX_UPLOAD_BYTES, receiveFile } from '../assessments/pages/upload';
import { invitationsPage, linksCsvName, writeLinksCsv } from './invitation.loaders';
import { linksForm, revokeForm, uploadFields } from './invitation.schemas';
import { readInvitees } from './invitee-import';
import { createLinks, revokeLink } from './link.service';

const id = (req: Request) => String(req.params.id);
const base = (req: Request) => `/assessments/${id(req)}/invitations`;
const groupQuery = (group: string) => (group ? `group=${encodeURIComponent(group)}&` : '');
const linksCreated = (req: Request, { group, n }: { group: string; n: number }) =>
  `${base(req)}?${groupQuery(group)}done=linksCreated&n=${n}#links`;
const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/**
 * What a later layer (src/mail) adds to the page, given the page it renders: e-mail status, counts
 * and forms. Passed in by the app, so that this layer does not import the one above it.
 */
export type InvitationsPanel = (
  req: Request,
  page: { assessmentId: string; status: string; selected: string; linkIds: string[] },
) => Promise<Record<string, unknown>>;

/** Personal and open survey links per stakeholder group, invitee lists, tracking and the CSV download. */
export function invitationRoutes(config: Config, panel?: InvitationsPanel): Router {
  const router = Router();

  // A refused form's status is already set (formRoute): this only renders.
  const render = async (
    req: Request,
    res: Response,
    extra: { group?: string; [key: string]: unknown } = {},
  ) => {
    const { t } = res.locals;
    const page = await invitationsPage(
      req.user,
      id(req),
      { group: extra.group ?? req.query.group, page: req.query.page },
      req.lang,
      config.publicUrl,
    );
    const extras = panel
      ? await panel(req, {
          assessmentId: page.assessment.id,
          status: page.assessment.status,
          selected: page.selected,
          linkIds: page.links.rows.map((l) => l.token),
        })
      : {};
    res.render('assessments/invitations', {
      title: `${t('assess.tabs.invitations')} · ${page.assessment.name}`,
      tab: 'invitations',
      ...page,
      values: { count: '10', label: '' },
      errors: {},
      form: null,
      uploadErrors: [],
      maxUploadMb: MAX_UPLOAD_BYTES / 1024 / 1024,
      notice: notice(t, req.query),
      ...extras,
      ...extra,
    });
  };

  // Before `/invitations`: the download of one group's (or every group's) links.
  router.get('/assessments/:id/invitations.csv', async (req, res) => {
    await writeLinksCsv(req.user, req.params.id, req.query.group, config.publicUrl, res, () =>
      res.attachment(linksCsvName(req.query.group)).type('text/csv; charset=utf-8'),
    );
  });

  router.get('/assessments/:id/invitations', (req, res) => render(req, res));

  router.post(
    '/assessments/:id/invitations',
    pageForm({
      form: linksForm,
      call: async (input, req) => ({
        group: input.group,
        n: (await createLinks(req.user, id(req), input, config.publicUrl)).length,
      }),
      redirect: (created, req) => linksCreated(req, created),
      invalid: (f, req, res) =>
        render(req, res, {
          group: f.input?.group,
          form: f.input?.kind ?? 'personal',
          values: f.values,
          errors: f.errors,
          notice: null,
        }),
      hints: { count: 'links.countHint' },
    }),
  );

  // Multipart (CSV of name,email): the CSRF token is a field of the body. Errors name the sheet rows of
  // the file once it was read (`input`), and its own rows before that.
  router.post(
    '/assessments/:id/invitations/upload',
    formRoute({
      form: async (req, res) => {
        const file = await receiveFile(req, res);
        return { ...readForm(uploadFields, req), ...readInvitees(file) };
      },
      call: async ({ group, invitees }, req) => ({
        group,
        n: (
          await createLinks(
            req.user,
            id(req),
            { group, kind: 'personal', emails: invitees },
            config.publicUrl,
          )
        ).length,
      }),
      redirect: (created, req) => linksCreated(req, created),
      invalid: (f, req, res) =>
        render(req, res, {
          group: text(f.values.group),
          form: 'upload',
          uploadErrors: rowErrors(f.error, inviteeErrorLocator(f.input?.sourceRows)),
          notice: null,
        }),
    }),
  );

  router.post(
    '/assessments/:id/invitations/:token/revoke',
    formRoute({
      form: revokeForm,
      call: async ({ group }, req) => {
        await revokeLink(req.user, id(req), String(req.params.token));
        return group;
      },
      redirect: (group, req) => `${base(req)}?${groupQuery(group)}done=linkRevoked#links`,
    }),
  );

  return router;
}
