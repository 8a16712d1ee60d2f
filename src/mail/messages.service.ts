import { z } from 'zod';
import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { loadAssessment } from '../assessments/services/assessment.store';
import { ValidationError } from '../shared/errors';
import { parse } from '../shared/validate';
import { messagesCollection, type MessageDoc } from './message.model';

const listQuery = z.object({
  status: z.enum(['queued', 'sent', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.string().max(300).optional(),
});

/** The API's message (api.md, E-mail). */
export interface MessageView {
  id: string;
  linkId: string;
  kind: MessageDoc['kind'];
  to: string;
  group: string;
  lang: string;
  status: MessageDoc['status'];
  attempts: number;
  error?: string;
  createdAt: Date;
  sentAt?: Date;
}

export const messageView = (m: MessageDoc): MessageView => ({
  id: m._id,
  linkId: m.linkId,
  kind: m.kind,
  to: m.to,
  group: m.group,
  lang: m.lang,
  status: m.status,
  attempts: m.attempts,
  ...(m.error ? { error: m.error } : {}),
  createdAt: m.createdAt,
  ...(m.sentAt ? { sentAt: m.sentAt } : {}),
});

// The cursor is the last message's (createdAt, _id), newest first: stable while messages are added.
const encode = (m: MessageDoc) =>
  Buffer.from(JSON.stringify([m.createdAt.getTime(), m._id])).toString('base64url');
function decode(cursor: string): [Date, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string')
      return [new Date(v[0]), v[1]];
  } catch {
    // falls through to the 422
  }
  throw new ValidationError([{ path: 'before', message: 'mail.badCursor' }]);
}

/** GET …/messages: newest first, `limit` at a time, `next` continues after the last one. */
export async function listMessages(
  actor: SessionUser | undefined,
  assessmentId: string,
  query: unknown,
): Promise<{ messages: MessageView[]; next: string | null }> {
  assertCan(actor, 'read');
  const q = parse(listQuery, query ?? {});
  await loadAssessment(assessmentId);
  const filter: Record<string, unknown> = { assessmentId };
  if (q.status) filter.status = q.status;
  if (q.before) {
    const [at, id] = decode(q.before);
    filter.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: id } }];
  }
  const docs = await messagesCollection()
    .find(filter as never)
    .sort({ createdAt: -1, _id: -1 })
    .limit(q.limit + 1)
    .toArray();
  const page = docs.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    messages: page.map(messageView),
    next: docs.length > q.limit && last ? encode(last) : null,
  };
}

/** Per group: how many messages are queued, sent and failed (the invitations page's tracking). */
export async function messageCounts(
  assessmentId: string,
): Promise<Map<string, { queued: number; sent: number; failed: number }>> {
  const out = new Map<string, { queued: number; sent: number; failed: number }>();
  const cursor = messagesCollection().find(
    { assessmentId },
    { projection: { group: 1, status: 1 } },
  );
  for await (const m of cursor) {
    const c = out.get(m.group) ?? { queued: 0, sent: 0, failed: 0 };
    c[m.status] += 1;
    out.set(m.group, c);
  }
  return out;
}

/** The latest message of each of these links (the status column of the links table). */
export async function latestMessages(linkIds: readonly string[]): Promise<Map<string, MessageDoc>> {
  const out = new Map<string, MessageDoc>();
  if (!linkIds.length) return out;
  const docs = await messagesCollection()
    .find({ linkId: { $in: [...linkIds] } }, { projection: { text: 0 } })
    .toArray();
  for (const m of docs) {
    const seen = out.get(m.linkId);
    if (
      !seen ||
      seen.createdAt < m.createdAt ||
      (seen.createdAt === m.createdAt && seen.round < m.round)
    )
      out.set(m.linkId, m);
  }
  return out;
}

/** The admins' outbox: what waits to be sent, newest first, with its text (development: read it here). */
export async function outbox(actor: SessionUser | undefined, limit = 200) {
  assertCan(actor, 'manageUsers');
  return messagesCollection()
    .find({ status: 'queued' })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit)
    .toArray();
}
