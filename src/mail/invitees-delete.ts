import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { loadAssessment } from '../assessments/services/assessment.store';
import { linksCollection } from '../invitations/link.model';
import { AppError } from '../shared/errors';
import { messagesCollection } from './message.model';

/**
 * Deletes the invitees' names and e-mail addresses of a closed assessment: from its links and from
 * its messages (whose text names the person). Responses, counts and the links themselves stay, so
 * every figure is unchanged; nothing can be sent to the links any more. `actor` undefined is the CLI.
 */
export async function deleteInvitees(
  actor: SessionUser | undefined | 'cli',
  assessmentId: string,
): Promise<{ links: number; messages: number }> {
  if (actor !== 'cli') assertCan(actor, 'write');
  const a = await loadAssessment(assessmentId);
  if (a.status !== 'closed' && a.status !== 'approved')
    throw new AppError(409, 'assessment_not_closed', 'mail.notClosed');
  const now = new Date();
  const links = await linksCollection().updateMany(
    { assessmentId, $or: [{ name: { $exists: true } }, { email: { $exists: true } }] },
    { $unset: { name: '', email: '' }, $set: { redactedAt: now } },
  );
  const messages = await messagesCollection().updateMany(
    { assessmentId, redactedAt: { $exists: false } },
    { $set: { to: '', subject: '', text: '', redactedAt: now } },
  );
  // Whatever was still queued can no longer go out.
  await messagesCollection().updateMany(
    { assessmentId, status: 'queued', sendingBy: { $exists: false } },
    { $set: { status: 'failed', error: 'cancelled: invitees deleted' } },
  );
  return { links: links.modifiedCount, messages: messages.modifiedCount };
}
