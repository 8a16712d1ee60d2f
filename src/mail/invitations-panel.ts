import type { Request } from 'express';
import type { Config } from '../config';
import { can } from '../auth/roles';
import { translator } from '../shared/i18n';
import { linksCollection } from '../invitations/link.model';
import type { InvitationsPanel } from '../invitations/invitation.routes';
import { latestMessages, messageCounts } from './messages.service';

const NOTICES = ['mailQueued', 'remindersQueued', 'inviteesDeleted', 'mailSaved'];

function mailNotice(req: Request) {
  const t = translator(req.lang);
  const done = typeof req.query.done === 'string' ? req.query.done : '';
  if (!NOTICES.includes(done)) return {};
  const n = Number(req.query.n);
  return { notice: t(`mail.done.${done}`, { n: Number.isInteger(n) && n >= 0 ? n : 0 }) };
}

/** Opted-out invitees per group (a scan of the assessment's links: a staff page). */
async function optedOutCounts(assessmentId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const cursor = linksCollection().find(
    { assessmentId, optedOutAt: { $exists: true } },
    { projection: { group: 1 } },
  );
  for await (const l of cursor) out.set(l.group, (out.get(l.group) ?? 0) + 1);
  return out;
}

/** The invitations page's e-mail parts: status per link, counts per group, the send forms. */
export function invitationsPanel(config: Config): InvitationsPanel {
  return async (req, page) => {
    const [counts, optedOut, latest] = await Promise.all([
      messageCounts(page.assessmentId),
      optedOutCounts(page.assessmentId),
      latestMessages(page.linkIds),
    ]);
    const perGroup = (code: string) => ({
      ...(counts.get(code) ?? { queued: 0, sent: 0, failed: 0 }),
      optedOut: optedOut.get(code) ?? 0,
    });
    const canWrite = can(req.user, 'write');
    return {
      ...mailNotice(req),
      mail: {
        smtpConfigured: !!config.mail.smtpUrl,
        isAdmin: can(req.user, 'manageUsers'),
        canSend: canWrite && (page.status === 'open' || page.status === 'draft'),
        canDelete: canWrite && (page.status === 'closed' || page.status === 'approved'),
        canWrite,
        perGroup,
        latest: (token: string) => {
          const m = latest.get(token);
          return m
            ? { kind: m.kind, status: m.status, attempts: m.attempts, error: m.error ?? '' }
            : null;
        },
      },
    };
  };
}
