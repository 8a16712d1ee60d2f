import { actorOf } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import type { Assessment } from '../../assessments/model/assessment.types';
import {
  assessmentConflict,
  editAssessment,
  loadAssessment,
} from '../../assessments/services/assessment.store';
import { liveResults, type Results } from '../../results/results.service';
import { saveSnapshot } from '../../results/signoff-snapshot';
import { AppError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { reopenSchema, signOffSchema } from '../review.schemas';

const invalidStatus = (status: string) =>
  new AppError(409, 'invalid_status', 'review.invalidStatus', [
    { path: 'status', message: status },
  ]);

/** Borderline topics without a recorded decision (an override, or "keep as computed"). */
export function undecided(a: Assessment, results: Pick<Results, 'topics'>): string[] {
  const decided = new Set([
    ...(a.overrides ?? []).map((o) => o.topic),
    ...(a.decisions ?? []).map((d) => d.topic),
  ]);
  return results.topics.filter((t) => t.borderline && !decided.has(t.code)).map((t) => t.code);
}

/**
 * Four eyes: whoever signs off may not be the only person who set the overrides being approved.
 * True when `userId` may sign as far as that rule goes.
 */
export function fourEyesAllows(a: Assessment, userId: string): boolean {
  const setters = new Set((a.overrides ?? []).map((o) => o.byId));
  return !(setters.size > 0 && [...setters].every((s) => s === userId));
}

/**
 * POST …/signoff: a closed assessment whose review is complete becomes `approved`, with a snapshot
 * of the results as approved. The snapshot is written first, under a new key; the sign-off then
 * lands only over the version the snapshot was computed from (else 409 conflict), so what was
 * approved is exactly what the snapshot holds.
 */
export async function signOff(actor: SessionUser | undefined, id: string, input: unknown) {
  assertCan(actor, 'signoff');
  const body = parse(signOffSchema, input);
  const a = await loadAssessment(id);
  if (a.status !== 'closed') throw invalidStatus(a.status);
  const results = await liveResults(a);
  const missing = undecided(a, results);
  if (missing.length)
    throw new AppError(
      409,
      'review_incomplete',
      'review.incomplete',
      missing.map((code) => ({ path: `topics.${code}`, message: 'review.needsDecision' })),
    );
  if (!fourEyesAllows(a, actor.id)) throw new AppError(409, 'four_eyes', 'review.fourEyes');
  const snapshotId = await saveSnapshot(a._id, results);
  const signed = {
    by: actor.email,
    byId: actor.id,
    at: new Date(),
    meetingDate: body.meetingDate,
    body: body.body,
    minutesRef: body.minutesRef,
    comment: body.comment ?? '',
    snapshotId,
  };
  const { assessment } = await editAssessment(
    id,
    (now) => {
      if ((now.version ?? 0) !== (a.version ?? 0)) throw assessmentConflict();
      return {
        set: { status: 'approved', signOff: signed },
        result: undefined,
        audit: {
          before: { status: now.status },
          after: {
            status: 'approved',
            meetingDate: signed.meetingDate,
            body: signed.body,
            minutesRef: signed.minutesRef,
            comment: signed.comment,
            snapshotId,
          },
        },
      };
    },
    { audit: { actor: actorOf(actor), action: 'signoff' } },
  );
  return assessment;
}

/** POST …/reopen: back to `closed`; the sign-off and its snapshot are kept in the history. */
export async function reopen(actor: SessionUser | undefined, id: string, input: unknown) {
  assertCan(actor, 'signoff');
  const { reason } = parse(reopenSchema, input);
  const { assessment } = await editAssessment(
    id,
    (a) => {
      if (a.status !== 'approved' || !a.signOff) throw invalidStatus(a.status);
      const past = {
        ...a.signOff,
        reopenedAt: new Date(),
        reopenedBy: actor.email,
        reopenedById: actor.id,
        reason,
      };
      return {
        set: {
          status: 'closed',
          signOff: null,
          signOffHistory: [...(a.signOffHistory ?? []), past],
        },
        result: undefined,
        audit: {
          before: { status: 'approved', snapshotId: a.signOff.snapshotId },
          after: { status: 'closed', reason },
        },
      };
    },
    { audit: { actor: actorOf(actor), action: 'reopen' }, whileSignedOff: true },
  );
  return assessment;
}
