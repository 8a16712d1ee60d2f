import crypto from 'node:crypto';
import {
  loadAssessment,
  loadAssessmentCached,
  markLocked,
} from '../assessments/services/assessment.store';
import type { Assessment, Group } from '../assessments/model/assessment.types';
import { dict } from '../scoring';
import { AppError, DatabaseUnavailableError } from '../shared/errors';
import type { Lang } from '../shared/i18n';
import { cachedLink } from '../invitations/link-cache';
import type { LinkDoc } from '../invitations/link.model';
import { countOpened } from '../invitations/opened';
import { linkRef } from '../invitations/link.service';
import {
  buildQuestionnaire,
  type QuestionInstrument,
  validateAnswers,
} from '../responses/questionnaire';
import { responsesCollection } from '../responses/response.model';
import { faultPoint } from '../db/faults';
import { countInBackground, countingBehind, countSoon } from '../results/tallies/counter';
import { inboxCollection, type InboxDoc } from '../results/tallies/inbox.model';
import { holdForMove, insertIntoInbox, storeAhead } from '../results/tallies/inbox-writer';
import { responseFlags } from '../results/tallies/quality.service';
import { Draft, draftKey, draftsCollection, findDraft, type DraftDoc } from './draft.model';
import { userAgentClass } from './user-agent';
import { MAX_DURATION_MS } from './survey.schemas';

export interface SurveyContext {
  link: LinkDoc;
  assessment: Assessment;
  group: Group;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Resolves a link token: two primary-key reads, and no write: a GET of the link (a mail scanner's
 * too) changes nothing. The first interaction counts the open (countOpened, from saveDraft).
 */
export async function resolveLink(token: string): Promise<SurveyContext> {
  if (!TOKEN_RE.test(token)) throw new AppError(404, 'not_found', 'survey.unknownLink');
  const link = await cachedLink(token);
  if (!link || link.revokedAt) throw new AppError(404, 'not_found', 'survey.unknownLink');
  const assessment = await loadAssessmentCached(link.assessmentId);
  const group = assessment.groups.find((g) => g.code === link.group);
  if (!group) throw new AppError(404, 'not_found', 'survey.unknownLink');
  return { link, assessment, group };
}

export function assertOpen(ctx: SurveyContext) {
  // A signed-off assessment takes no new response (api.md: 409 assessment_signed_off).
  if (ctx.assessment.status === 'approved')
    throw new AppError(409, 'assessment_signed_off', 'survey.closedMessage');
  if (ctx.assessment.status !== 'open')
    throw new AppError(403, 'assessment_not_open', 'survey.closedMessage');
}

/** A personal link's response id is derived from the link, so a second insert fails (single use). */
export const personalResponseId = (token: string) => `p_${linkRef(token)}`;

export async function alreadySubmitted(ctx: SurveyContext): Promise<boolean> {
  return ctx.link.kind === 'personal' && isStored(ctx, undefined);
}

export function questionnaireFor(ctx: SurveyContext, lang: Lang): QuestionInstrument[] {
  return buildQuestionnaire(ctx.assessment, ctx.group, lang);
}

// ---- drafts (autosave and resume) ----

/** Personal links resume anywhere; open links resume in the same browser (its id cookie). */
const draftBasis = (ctx: SurveyContext, browserId: string) =>
  ctx.link.kind === 'personal' ? ctx.link._id : `${ctx.link._id}:${browserId}`;

/** Keyed like the link reference (draft.model.ts: draftKey). */
export function draftId(ctx: SurveyContext, browserId: string): string {
  return draftKey(draftBasis(ctx, browserId));
}

export async function loadDraft(ctx: SurveyContext, browserId: string): Promise<DraftDoc | null> {
  return findDraft(draftBasis(ctx, browserId));
}

/**
 * Saves the answers given: a `$set` of exactly these keys, so two tabs (or an autosave and a page
 * post) never overwrite each other's answers. Field keys are `instrument:topic:criterion` (codes
 * have no dots or `$`), so each is one plain field of `values`.
 */
export async function saveDraft(
  ctx: SurveyContext,
  browserId: string,
  values: Record<string, string>,
  lang: Lang,
  existing: DraftDoc | null,
): Promise<DraftDoc> {
  const now = new Date();
  const _id = draftId(ctx, browserId);
  const set = dict<unknown>([
    ['lang', lang],
    ['updatedAt', now],
    ...Object.entries(values).map(([k, v]) => [`values.${k}`, v] as const),
  ]);
  const r = await draftsCollection().updateOne(
    { _id },
    { $set: set, $setOnInsert: { assessmentId: ctx.assessment._id, startedAt: now } },
    { upsert: true },
  );
  if (r.upsertedCount === 1) await countOpened(ctx.link, ctx.assessment._id, ctx.group.code);
  return {
    _id,
    assessmentId: ctx.assessment._id,
    // Keyed by user-chosen topic codes: a prototype-less merge.
    values: dict([...Object.entries(existing?.values ?? {}), ...Object.entries(values)]),
    lang,
    startedAt: existing?.startedAt ?? now,
    updatedAt: now,
  };
}

// ---- submission ----

export interface SubmitInput {
  answers: unknown;
  lang: Lang;
  startedAt?: Date;
  durationMs?: number | null;
  userAgent?: string;
  draftId?: string;
  /** A UUID the client chose: a retry with the same one is the same submission. */
  submissionId?: string;
}

/** How long a submission waits for its own batch to be counted before it answers anyway. */
const COUNT_WAIT_MS = 2000;

const hashed = (s: string) => crypto.createHash('sha256').update(s).digest('hex').slice(0, 32);

/**
 * The response id. A personal link's is derived from the link (single use); an open link's from the
 * client's submissionId when there is one (a retry finds the same id), else random.
 */
function responseIdFor(ctx: SurveyContext, submissionId: string | undefined): string {
  if (ctx.link.kind === 'personal') return personalResponseId(ctx.link._id);
  return submissionId
    ? `o_${hashed(`${ctx.link._id}:${submissionId}`)}`
    : crypto.randomBytes(12).toString('hex');
}

/** Whether this submission (the same submissionId, or a personal link's one) is stored already. */
export async function isStored(
  ctx: SurveyContext,
  submissionId: string | undefined,
): Promise<boolean> {
  if (ctx.link.kind === 'open' && !submissionId) return false;
  const id = responseIdFor(ctx, submissionId);
  const found = async (c: { findOne(f: { _id: string }, o: object): Promise<unknown> }) =>
    !!(await c.findOne({ _id: id }, { projection: { _id: 1 } }));
  return (await found(responsesCollection())) || found(inboxCollection());
}

/** Counts soon and waits for it a bounded time: the answer never waits on a slow count. */
async function countedSoon(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((resolve) => (timer = setTimeout(resolve, COUNT_WAIT_MS)));
  try {
    await Promise.race([countSoon(), wait]);
  } catch {
    // The response is stored; the reconciler counts it (the next round, or the lease holder's).
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the response with this id has left the inbox, i.e. it is counted. */
async function untilCounted(id: string): Promise<boolean> {
  const deadline = Date.now() + COUNT_WAIT_MS;
  for (;;) {
    await countedSoon();
    if (!(await inboxCollection().findOne({ _id: id }, { projection: { _id: 1 } }))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A submission whose id is taken: the same submission retried, or a second one of a personal link. */
async function duplicate(ctx: SurveyContext, responseId: string): Promise<{ responseId: string }> {
  const counted = await untilCounted(responseId);
  if (!counted) throw new DatabaseUnavailableError();
  if (ctx.link.kind === 'personal')
    throw new AppError(409, 'already_submitted', 'survey.alreadySubmittedMessage');
  return { responseId };
}

/**
 * The lock comes first: once a response can be stored, topics, groups and modes no longer change
 * (staff edits carry `locked: {$ne: true}` in their write filter). The first submissions re-read the
 * assessment after locking, so they are checked against the set-up that is now frozen, not against
 * a cached copy an edit may have just changed.
 */
async function lockedContext(ctx: SurveyContext): Promise<SurveyContext> {
  if (ctx.assessment.locked) return ctx;
  await markLocked(ctx.assessment._id);
  const assessment = await loadAssessment(ctx.assessment._id);
  const group = assessment.groups.find((g) => g.code === ctx.group.code);
  if (!group) throw new AppError(404, 'not_found', 'survey.unknownLink');
  assertOpen({ ...ctx, assessment, group });
  return { ...ctx, assessment, group };
}

/**
 * The writes of a submission: the inbox insert (the commit point), then for a single-use id the
 * move of the entry to `responses`, which is the check that no submission counted before holds
 * the id (it left the inbox, which is how the insert could succeed). 'stored', or 'duplicate'
 * when the id is taken (the entry of a lost race is withdrawn).
 */
async function store(doc: InboxDoc, singleUse: boolean): Promise<'stored' | 'duplicate'> {
  const release = singleUse ? holdForMove(doc) : () => undefined;
  try {
    faultPoint('submit.beforeInsert');
    if ((await insertIntoInbox(doc)) === 'duplicate') return 'duplicate';
    faultPoint('submit.afterInsert');
    if (!singleUse) return 'stored';
    if ((await storeAhead(doc)) === 'taken') {
      await inboxCollection().deleteOne({ _id: doc._id, nonce: doc.nonce });
      return 'duplicate';
    }
    faultPoint('submit.afterStore');
    return 'stored';
  } finally {
    release();
  }
}

/**
 * The time from a draft's start to its submission, or null ("not measured") when it is over a day
 * (a draft resumed days later: the figure would be the days between, not the time answering) or
 * negative (a clock step). A respondent client sending such a duration gets a 422 instead.
 */
function measuredDuration(startedAt: Date | undefined, now: Date): number | null {
  if (!startedAt) return null;
  const ms = +now - +startedAt;
  return ms >= 0 && ms <= MAX_DURATION_MS ? ms : null;
}

/**
 * Stores one response with an insert into the inbox, sent together with concurrent ones
 * (inbox-writer.ts): that insert is the commit point, so a 2xx means the response is durable.
 * Counting follows in batches (results/tallies/counter.ts), exactly once whatever fails. This
 * request starts a round and, unless counting lags behind (countingBehind), does not wait for it;
 * every read of the counters counts what was stored before it first (settleCounting), so results
 * are up to date. A personal link's second submission and a retried submissionId find the id taken
 * (in the inbox, or in `responses` when they move their entry there) and store nothing.
 */
export async function submitResponse(
  given: SurveyContext,
  input: SubmitInput,
): Promise<{ responseId: string }> {
  assertOpen(given);
  // Malformed input is refused before anything is written, the lock included; the first submissions
  // are checked again against the set-up they locked (lockedContext re-reads it).
  const checked = validateAnswers(questionnaireFor(given, input.lang), input.answers);
  const ctx = await lockedContext(given);
  const answers =
    ctx === given ? checked : validateAnswers(questionnaireFor(ctx, input.lang), input.answers);
  const now = new Date();
  const responseId = responseIdFor(ctx, input.submissionId);
  const nonce = crypto.randomBytes(8).toString('hex');
  const startedAt = input.startedAt ?? (input.durationMs ? new Date(+now - input.durationMs) : now);
  // The native driver's insert: the answers were validated above, and mongoose's document casting
  // would cost more CPU than the database write itself on this hot path.
  const doc: InboxDoc = {
    _id: responseId,
    assessmentId: ctx.assessment._id,
    group: ctx.group.code,
    linkRef: linkRef(ctx.link._id),
    kind: ctx.link.kind,
    answers,
    lang: input.lang,
    startedAt,
    submittedAt: now,
    durationMs: input.durationMs ?? measuredDuration(input.startedAt, now),
    userAgentClass: userAgentClass(input.userAgent),
    nonce,
  };
  // Quality flags are judged once, here, and stored with the response (results/tallies).
  doc.flags = await responseFlags(ctx.assessment, ctx.group, answers, doc.durationMs);
  if ((await store(doc, ctx.link.kind === 'personal' || !!input.submissionId)) !== 'stored')
    return duplicate(ctx, responseId);
  if (countingBehind()) await countedSoon();
  else countInBackground();
  if (input.draftId) await Draft.deleteOne({ _id: input.draftId }).catch(() => undefined);
  return { responseId };
}
