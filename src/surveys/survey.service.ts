import crypto from 'node:crypto';
import { loadAssessmentCached, markLocked } from '../assessments/assessment.service';
import type { Assessment, Group } from '../assessments/assessment.types';
import { dict } from '../scoring';
import { AppError } from '../shared/errors';
import type { Lang } from '../shared/i18n';
import { cachedLink } from '../invitations/link-cache';
import { Link, type LinkDoc } from '../invitations/link.model';
import { linkRef } from '../invitations/link.service';
import { buildQuestionnaire, type QuestionInstrument, validateAnswers } from '../responses/questionnaire';
import { ResponseModel, responsesCollection } from '../responses/response.model';
import { incrementGroup, responseIncrement } from '../results/tallies/tally.service';
import { Draft, type DraftDoc } from './draft.model';
import { userAgentClass } from './user-agent';

export interface SurveyContext {
  link: LinkDoc;
  assessment: Assessment;
  group: Group;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Resolves a link token: two primary-key reads. `countOpen` records the first opening of a
 * personal link (a single atomic `$inc` on the link, which is also the read).
 */
export async function resolveLink(token: string, { countOpen = false } = {}): Promise<SurveyContext> {
  if (!TOKEN_RE.test(token)) throw new AppError(404, 'not_found', 'survey.unknownLink');
  const link = countOpen
    ? await Link.findOneAndUpdate({ _id: token }, { $inc: { opens: 1 } }, { returnDocument: 'after' }).lean<LinkDoc>()
    : await cachedLink(token);
  if (!link || link.revokedAt) throw new AppError(404, 'not_found', 'survey.unknownLink');
  const assessment = await loadAssessmentCached(link.assessmentId);
  const group = assessment.groups.find((g) => g.code === link.group);
  if (!group) throw new AppError(404, 'not_found', 'survey.unknownLink');
  if (countOpen && link.kind === 'personal' && link.opens === 1) {
    await incrementGroup(assessment._id, group.code, { opened: 1 });
  }
  return { link, assessment, group };
}

export function assertOpen(ctx: SurveyContext) {
  if (ctx.assessment.status !== 'open') throw new AppError(403, 'assessment_not_open', 'survey.closedMessage');
}

/** A personal link's response id is derived from the link, so a second insert fails (single use). */
export const personalResponseId = (token: string) => `p_${linkRef(token)}`;

export async function alreadySubmitted(ctx: SurveyContext): Promise<boolean> {
  if (ctx.link.kind !== 'personal') return false;
  return !!(await ResponseModel.findById(personalResponseId(ctx.link._id)).lean());
}

export function questionnaireFor(ctx: SurveyContext, lang: Lang): QuestionInstrument[] {
  return buildQuestionnaire(ctx.assessment, ctx.group, lang);
}

// ---- drafts (autosave and resume) ----

/** Personal links resume anywhere; open links resume in the same browser (its id cookie). */
export function draftId(ctx: SurveyContext, browserId: string): string {
  const basis = ctx.link.kind === 'personal' ? ctx.link._id : `${ctx.link._id}:${browserId}`;
  return `d_${crypto.createHash('sha256').update(basis).digest('hex').slice(0, 40)}`;
}

export async function loadDraft(ctx: SurveyContext, browserId: string): Promise<DraftDoc | null> {
  return Draft.findById(draftId(ctx, browserId)).lean<DraftDoc>();
}

export async function saveDraft(ctx: SurveyContext, browserId: string, values: Record<string, string>, lang: Lang, existing: DraftDoc | null): Promise<DraftDoc> {
  const now = new Date();
  const doc: DraftDoc = {
    _id: draftId(ctx, browserId),
    assessmentId: ctx.assessment._id,
    // Keyed by `instrument:topic:criterion` (user-chosen topic codes): a prototype-less merge.
    values: dict([...Object.entries(existing?.values ?? {}), ...Object.entries(values)]),
    lang,
    startedAt: existing?.startedAt ?? now,
    updatedAt: now,
  };
  await Draft.replaceOne({ _id: doc._id }, doc, { upsert: true });
  if (!existing && ctx.link.kind === 'open') await incrementGroup(ctx.assessment._id, ctx.group.code, { opened: 1 });
  return doc;
}

// ---- submission ----

export interface SubmitInput {
  answers: unknown;
  lang: Lang;
  startedAt?: Date;
  durationMs?: number | null;
  userAgent?: string;
  draftId?: string;
}

/**
 * Stores one response, then adds it to the tallies. The insert is the commit point: a 2xx means the
 * response is durable; a personal link's second submission fails on the unique `_id` and changes nothing.
 */
export async function submitResponse(ctx: SurveyContext, input: SubmitInput): Promise<{ responseId: string }> {
  assertOpen(ctx);
  const answers = validateAnswers(questionnaireFor(ctx, input.lang), input.answers);
  const personal = ctx.link.kind === 'personal';
  const now = new Date();
  const responseId = personal ? personalResponseId(ctx.link._id) : crypto.randomBytes(12).toString('hex');
  const startedAt = input.startedAt ?? (input.durationMs ? new Date(+now - input.durationMs) : now);
  try {
    // The native driver's insert: the answers were validated above, and mongoose's document casting
    // would cost more CPU than the database write itself on this hot path.
    await responsesCollection().insertOne({
      _id: responseId,
      assessmentId: ctx.assessment._id,
      group: ctx.group.code,
      linkRef: linkRef(ctx.link._id),
      kind: ctx.link.kind,
      answers,
      lang: input.lang,
      startedAt,
      submittedAt: now,
      durationMs: input.durationMs ?? (input.startedAt ? +now - +input.startedAt : null),
      userAgentClass: userAgentClass(input.userAgent),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new AppError(409, 'already_submitted', 'survey.alreadySubmittedMessage');
    throw err;
  }
  await incrementGroup(ctx.assessment._id, ctx.group.code, responseIncrement(ctx.assessment, answers, personal));
  if (!ctx.assessment.locked) await markLocked(ctx.assessment._id);
  if (input.draftId) await Draft.deleteOne({ _id: input.draftId });
  return { responseId };
}
