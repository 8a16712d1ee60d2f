import { z } from 'zod';
import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { loadAssessment } from '../assessments/services/assessment.store';
import type { Assessment } from '../assessments/model/assessment.types';
import { linksCollection, type LinkDoc } from '../invitations/link.model';
import { surveyUrl } from '../invitations/link.service';
import { AppError, ValidationError } from '../shared/errors';
import { faultPoint } from '../db/faults';
import { duplicateIndexes } from '../db/duplicates';
import { parse } from '../shared/validate';
import { loadMailSetup, type MailSetupDoc } from './mail-setup.model';
import { messageId, messagesCollection, type MessageDoc, type MessageKind } from './message.model';
import { mailableLinks, submittedTokens } from './recipients';
import { messageLang, renderMessage } from './templates';

const HOUR = 3600_000;
const BATCH = 500;

const sendSchema = z.strictObject({
  group: z.string().min(1).max(100).optional(),
  linkIds: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(),
});
const remindSchema = z.strictObject({
  group: z.string().min(1).max(100).optional(),
  linkIds: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(),
  minHoursSinceLast: z
    .number()
    .min(0)
    .max(24 * 365)
    .optional(),
});

export const optOutUrl = (publicUrl: string, token: string) =>
  `${surveyUrl(publicUrl, token)}/opt-out`;

function checkSendable(a: Assessment, group: string | undefined) {
  // Links work only while the assessment is open. Messages queued for a draft wait until it opens
  // (the worker holds them); after closing, a message would lead nowhere.
  if (a.status !== 'open' && a.status !== 'draft')
    throw new AppError(409, 'assessment_not_open', 'mail.notOpen');
  if (group && !a.groups.some((g) => g.code === group))
    throw new ValidationError([{ path: 'group', message: 'assess.noSuchGroup' }]);
}

/** The message for one link, rendered now in the invitee's language (what the outbox shows). */
function buildMessage(
  a: Assessment,
  setup: MailSetupDoc,
  link: LinkDoc,
  kind: MessageKind,
  round: number,
  publicUrl: string,
  now: Date,
): MessageDoc {
  const lang = messageLang(link.language, a.settings.languages);
  const personal = `${surveyUrl(publicUrl, link._id)}?lang=${lang}`;
  const optOut = `${optOutUrl(publicUrl, link._id)}?lang=${lang}`;
  const text = renderMessage(setup, a.name, kind, lang, {
    name: link.name,
    link: personal,
    optOutLink: optOut,
  });
  return {
    _id: messageId(kind, link._id, round),
    assessmentId: a._id,
    linkId: link._id,
    group: link.group,
    kind,
    round,
    to: link.email ?? '',
    lang,
    subject: text.subject,
    text: text.body,
    ...(setup.replyTo ? { replyTo: setup.replyTo } : {}),
    optOutUrl: optOut,
    status: 'queued',
    attempts: 0,
    createdAt: now,
    dueAt: now,
  };
}

/** Inserts messages; a duplicate `_id` (already queued) is skipped. Returns the ids inserted. */
async function insertNew(docs: MessageDoc[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < docs.length; i += BATCH) {
    const slice = docs.slice(i, i + BATCH);
    try {
      await messagesCollection().insertMany(slice, { ordered: false });
      slice.forEach((d) => inserted.add(d._id));
    } catch (err) {
      // A lost connection is no "all duplicates": only an error that accounts for every message
      // (inserted or refused as already queued) lets the caller record the round on the links.
      const failed = duplicateIndexes(err, slice.length);
      if (!failed) throw err;
      slice.forEach((d, j) => (failed.has(j) ? undefined : inserted.add(d._id)));
    }
  }
  return inserted;
}

/**
 * Queues the given kind for `links`, one round each, and records it on the links (time of the last
 * message, number of reminders). Idempotent: after a crash between the two writes, queueing again
 * finds the same message ids, inserts nothing and completes the links' record.
 */
export async function queueFor(
  a: Assessment,
  setup: MailSetupDoc,
  links: readonly LinkDoc[],
  kind: MessageKind,
  publicUrl: string,
  now = new Date(),
): Promise<number> {
  if (!links.length) return 0;
  const round = (l: LinkDoc) => (kind === 'invitation' ? 0 : (l.reminders ?? 0) + 1);
  const docs = links.map((l) => buildMessage(a, setup, l, kind, round(l), publicUrl, now));
  const inserted = await insertNew(docs);
  faultPoint('mail.queued'); // a crash here: the next round finds the same ids and completes the links
  // An invitation already queued is not re-recorded (it would push the reminders back); a reminder
  // found queued is recorded again, which completes a round that stopped between the two writes.
  const recorded = links.filter(
    (l) => kind === 'reminder' || inserted.has(messageId(kind, l._id, 0)),
  );
  const ops = recorded.map((l) => ({
    updateOne: {
      filter: { _id: l._id },
      update:
        kind === 'invitation'
          ? { $max: { lastMailAt: now } }
          : { $max: { lastMailAt: now, reminders: round(l) } },
    },
  }));
  for (let i = 0; i < ops.length; i += BATCH)
    if (ops.length) await linksCollection().bulkWrite(ops.slice(i, i + BATCH), { ordered: false });
  return inserted.size;
}

/** POST …/invitations/send: an invitation to every personal link with an address not yet sent one. */
export async function queueInvitations(
  actor: SessionUser | undefined,
  assessmentId: string,
  input: unknown,
  publicUrl: string,
): Promise<{ queued: number }> {
  assertCan(actor, 'write');
  const data = parse(sendSchema, input ?? {});
  const a = await loadAssessment(assessmentId);
  checkSendable(a, data.group);
  const [links, setup] = await Promise.all([mailableLinks(a, data), loadMailSetup(a._id)]);
  return { queued: await queueFor(a, setup, links, 'invitation', publicUrl) };
}

/** The links due a reminder: not submitted, not opted out, last message at least `minHours` ago. */
export async function dueForReminder(
  a: Assessment,
  opts: { group?: string; linkIds?: string[] },
  minHours: number,
  now: Date,
  filter: (l: LinkDoc) => boolean = () => true,
): Promise<LinkDoc[]> {
  const cutoff = now.getTime() - minHours * HOUR;
  const candidates = (await mailableLinks(a, opts)).filter(
    (l) => filter(l) && (!l.lastMailAt || l.lastMailAt.getTime() <= cutoff),
  );
  const submitted = await submittedTokens(candidates);
  return candidates.filter((l) => !submitted.has(l._id));
}

/** POST …/reminders/send: a reminder to everyone who has not answered (api.md, E-mail). */
export async function queueReminders(
  actor: SessionUser | undefined,
  assessmentId: string,
  input: unknown,
  publicUrl: string,
): Promise<{ queued: number }> {
  assertCan(actor, 'write');
  const data = parse(remindSchema, input ?? {});
  const a = await loadAssessment(assessmentId);
  checkSendable(a, data.group);
  const now = new Date();
  const [links, setup] = await Promise.all([
    dueForReminder(a, data, data.minHoursSinceLast ?? 24, now),
    loadMailSetup(a._id),
  ]);
  return { queued: await queueFor(a, setup, links, 'reminder', publicUrl, now) };
}
