import { AppError } from '../shared/errors';
import { linksCollection } from '../invitations/link.model';
import { resolveLink, type SurveyContext } from '../surveys/survey.service';
import { messagesCollection } from './message.model';

/** The personal link behind an opt-out page (an open link has no address to stop writing to). */
export async function optOutLink(token: string): Promise<SurveyContext> {
  const ctx = await resolveLink(token);
  if (ctx.link.kind !== 'personal') throw new AppError(404, 'not_found', 'survey.unknownLink');
  return ctx;
}

/**
 * Records the opt-out (once; the first time is kept) and cancels what is still queued for the link.
 * The survey link itself keeps working.
 */
export async function optOut(token: string): Promise<void> {
  const ctx = await optOutLink(token);
  await linksCollection().updateOne(
    { _id: ctx.link._id, optedOutAt: { $exists: false } },
    { $set: { optedOutAt: new Date() } },
  );
  await messagesCollection().updateMany(
    { linkId: ctx.link._id, status: 'queued', sendingBy: { $exists: false } },
    { $set: { status: 'failed', error: 'cancelled: opted out' } },
  );
}
