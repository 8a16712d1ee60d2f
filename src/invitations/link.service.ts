import crypto from 'node:crypto';
import { z } from 'zod';
import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { assertNotSignedOff, loadAssessment } from '../assessments/services/assessment.store';
import { actorOf, recordAudit } from '../audit/audit.writer';
import { AppError, ValidationError } from '../shared/errors';
import { LANGS } from '../shared/i18n';
import { parse } from '../shared/validate';
import { incrementGroup } from '../results/tallies/tally.service';
import { forgetLink } from './link-cache';
import { Link, type LinkDoc } from './link.model';

export const newToken = () => crypto.randomBytes(16).toString('base64url');
/** Keyed with LINK_REF_SECRET (link-ref.ts): the invitations CSV alone cannot recompute it. */
export { keyedLinkRef as linkRef } from './link-ref';

const MAX_BATCH = 10_000;
// An invitee is someone: a name or an e-mail address (an empty object would make a link for nobody).
const inviteeSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email('validation.email').max(320).optional(),
    language: z.enum(LANGS).optional(),
  })
  .refine((i) => i.name !== undefined || i.email !== undefined, { message: 'validation.required' });
const createSchema = z.object({
  group: z.string(),
  kind: z.enum(['personal', 'open']),
  count: z.number().int().min(1).max(MAX_BATCH).optional(),
  emails: z
    .array(z.union([z.email('validation.email'), inviteeSchema]))
    .max(MAX_BATCH)
    .optional(),
  /** The same as `emails` with objects only (api.md, E-mail): each invitee may carry a language. */
  invitees: z.array(inviteeSchema).max(MAX_BATCH).optional(),
  label: z.string().trim().max(200).optional(),
});

export interface LinkView {
  id: string;
  kind: 'personal' | 'open';
  group: string;
  url: string;
  token: string;
  name?: string;
  email?: string;
  language?: string;
  label?: string;
  opens: number;
  optedOut: boolean;
  revoked: boolean;
  createdAt: Date;
}

export const surveyUrl = (publicUrl: string, token: string) => `${publicUrl}/s/${token}`;

function view(l: LinkDoc, publicUrl: string): LinkView {
  return {
    id: l._id,
    kind: l.kind,
    group: l.group,
    url: surveyUrl(publicUrl, l._id),
    token: l._id,
    name: l.name,
    email: l.email,
    language: l.language,
    label: l.label,
    opens: l.opens ?? 0,
    optedOut: !!l.optedOutAt,
    revoked: !!l.revokedAt,
    createdAt: l.createdAt,
  };
}

/** Personal links in bulk (a count, or one per invitee) or one open link for a group. */
export async function createLinks(
  actor: SessionUser | undefined,
  assessmentId: string,
  input: unknown,
  publicUrl: string,
): Promise<LinkView[]> {
  assertCan(actor, 'write');
  const data = parse(createSchema, input);
  const a = await loadAssessment(assessmentId);
  assertNotSignedOff(a);
  if (!a.groups.some((g) => g.code === data.group))
    throw new ValidationError([{ path: 'group', message: 'assess.noSuchGroup' }]);
  const invitees = [
    ...(data.emails ?? []).map((e) => (typeof e === 'string' ? { email: e } : e)),
    ...(data.invitees ?? []),
  ];
  if (invitees.length > MAX_BATCH)
    throw new ValidationError([{ path: 'invitees', message: 'links.upload.tooMany' }]);
  const offered: readonly string[] = a.settings.languages;
  const badLang = invitees.findIndex((i) => i.language && !offered.includes(i.language));
  if (badLang >= 0)
    throw new ValidationError([
      { path: `invitees.${badLang}.language`, message: 'links.languageNotOffered' },
    ]);
  let count = data.kind === 'open' ? 1 : invitees.length || data.count || 0;
  if (data.kind === 'personal' && !count)
    throw new ValidationError([{ path: 'count', message: 'links.countRequired' }]);
  count = Math.min(count, MAX_BATCH);
  const now = new Date();
  const docs: LinkDoc[] = Array.from({ length: count }, (_, i) => ({
    _id: newToken(),
    assessmentId,
    group: data.group,
    kind: data.kind,
    ...(invitees[i]?.name ? { name: invitees[i].name } : {}),
    ...(invitees[i]?.email ? { email: invitees[i].email } : {}),
    ...(invitees[i]?.language ? { language: invitees[i].language } : {}),
    ...(data.label ? { label: data.label } : {}),
    opens: 0,
    createdAt: now,
    seq: i,
    revokedAt: null,
  }));
  // The entry first: links are many inserts, so a failed entry refuses them all (no silent gap).
  await recordAudit({
    actor: actorOf(actor),
    action: 'links.create',
    assessmentId,
    target: data.group,
    after: { kind: data.kind, count },
  });
  await Link.insertMany(docs, { ordered: true });
  if (data.kind === 'personal') await incrementGroup(assessmentId, data.group, { invited: count });
  return docs.map((d) => view(d, publicUrl));
}

/**
 * One page of a group's links for the staff page. Staff paths may filter by assessment and group:
 * on MongoDB an index serves it (src/db/indexes.ts); on the embedded engine it scans the links
 * (invitations, never responses), which no respondent path does.
 */
export async function pageLinks(
  actor: SessionUser | undefined,
  assessmentId: string,
  group: string,
  page: { skip: number; limit: number },
  publicUrl: string,
): Promise<{ links: LinkView[]; total: number }> {
  assertCan(actor, 'read');
  const filter = { assessmentId, group };
  const [docs, total] = await Promise.all([
    Link.find(filter)
      .sort({ createdAt: 1, seq: 1, _id: 1 })
      .skip(page.skip)
      .limit(page.limit)
      .lean<LinkDoc[]>(),
    Link.countDocuments(filter),
  ]);
  return { links: docs.map((d) => view(d, publicUrl)), total };
}

/** The groups with an open link that is not revoked (their response rate is measured against the target). */
export async function groupsWithOpenLinks(assessmentId: string): Promise<Set<string>> {
  const docs = await Link.find({ assessmentId, kind: 'open', revokedAt: null }, { group: 1 }).lean<
    Pick<LinkDoc, 'group'>[]
  >();
  return new Set(docs.map((d) => d.group));
}

/** Every link of the assessment (or of one group), streamed from a cursor for the CSV download. */
export async function* streamLinks(
  actor: SessionUser | undefined,
  assessmentId: string,
  group: string | undefined,
  publicUrl: string,
): AsyncGenerator<LinkView> {
  assertCan(actor, 'read');
  await loadAssessment(assessmentId);
  const cursor = Link.find(group ? { assessmentId, group } : { assessmentId })
    .sort({ group: 1, createdAt: 1, seq: 1, _id: 1 })
    .lean<LinkDoc[]>()
    .cursor({ batchSize: 500 });
  for await (const d of cursor as AsyncIterable<LinkDoc>) yield view(d, publicUrl);
}

export async function revokeLink(
  actor: SessionUser | undefined,
  assessmentId: string,
  token: string,
): Promise<void> {
  assertCan(actor, 'write');
  const l = await Link.findById(token).lean<LinkDoc>();
  if (!l || l.assessmentId !== assessmentId) throw new AppError(404, 'not_found', 'links.notFound');
  if (!l.revokedAt) {
    await recordAudit({
      actor: actorOf(actor),
      action: 'link.revoke',
      assessmentId,
      target: `${l.group}:${token.slice(0, 6)}…`,
      before: { revoked: false },
      after: { revoked: true },
    });
    await Link.updateOne({ _id: token }, { $set: { revokedAt: new Date() } });
  }
  forgetLink(token);
}
