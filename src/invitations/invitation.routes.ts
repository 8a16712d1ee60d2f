import { Request, Response, Router } from 'express';
import type { Config } from '../config';
import { ValidationError } from '../shared/errors';
import { bodyValues, formErrors } from '../assessments/pages/form-input';
import { inviteeErrorLocator, notice, rowErrors } from '../assessments/pages/page.presenter';
import { MAX_UPLOAD_BYTES, receiveFile } from '../assessments/pages/upload';
import { invitationsPage, linksCsvName, writeLinksCsv } from './invitation.loaders';
import { readInvitees } from './invitee-import';
import { createLinks, revokeLink } from './link.service';

const base = (req: Request) => `/assessments/${req.params.id}/invitations`;
const groupQuery = (group: unknown) => (typeof group === 'string' && group ? `group=${encodeURIComponent(group)}&` : '');

/** Personal and open survey links per stakeholder group, invitee lists, tracking and the CSV download. */
export function invitationRoutes(config: Config): Router {
  const router = Router();

  const render = async (req: Request, res: Response, extra: { group?: unknown; [key: string]: unknown } = {}, status = 200) => {
    const page = await invitationsPage(req.user, String(req.params.id), { group: extra.group ?? req.query.group, page: req.query.page }, req.lang, config.publicUrl);
    res.status(status).render('assessments/invitations', {
      title: `${res.locals.t('assess.tabs.invitations')} · ${page.assessment.name}`,
      tab: 'invitations',
      ...page,
      values: { count: '10', label: '' },
      errors: {},
      form: null,
      uploadErrors: [],
      maxUploadMb: MAX_UPLOAD_BYTES / 1024 / 1024,
      notice: notice(res.locals.t, req.query),
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

  // One form for both kinds: `kind` says whether N personal links or one open link are made.
  router.post('/assessments/:id/invitations', async (req, res) => {
    const b = req.body ?? {};
    const kind = b.kind === 'open' ? 'open' : 'personal';
    const input = kind === 'open' ? { group: b.group, kind, ...(b.label ? { label: b.label } : {}) } : { group: b.group, kind, count: b.count === '' || b.count === undefined ? undefined : Number(b.count) };
    try {
      const links = await createLinks(req.user, req.params.id, input, config.publicUrl);
      res.redirect(303, `${base(req)}?${groupQuery(b.group)}done=linksCreated&n=${links.length}#links`);
    } catch (err) {
      const f = formErrors(err, { count: 'links.countHint' });
      await render(req, res, { group: b.group, form: kind, values: bodyValues(b), errors: f.errors, notice: null }, f.status);
    }
  });

  // Multipart (CSV of name,email): the CSRF token travels in the URL.
  router.post('/assessments/:id/invitations/upload', async (req, res) => {
    let sourceRows: number[] | undefined;
    try {
      const file = await receiveFile(req, res);
      const parsed = readInvitees(file);
      sourceRows = parsed.sourceRows;
      const links = await createLinks(req.user, req.params.id, { group: req.body?.group, kind: 'personal', emails: parsed.invitees }, config.publicUrl);
      res.redirect(303, `${base(req)}?${groupQuery(req.body?.group)}done=linksCreated&n=${links.length}#links`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, { group: req.body?.group, form: 'upload', uploadErrors: rowErrors(err, inviteeErrorLocator(sourceRows)), notice: null }, 422);
    }
  });

  router.post('/assessments/:id/invitations/:token/revoke', async (req, res) => {
    await revokeLink(req.user, req.params.id, req.params.token);
    res.redirect(303, `${base(req)}?${groupQuery(req.body?.group)}done=linkRevoked#links`);
  });

  return router;
}
