import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditAction } from '../../audit/audit.actions';
import type { AuditActor } from '../../audit/audit.model';
import { changedFields, recordAudit } from '../../audit/audit.writer';
import { hookPoint } from '../../db/faults';
import { AppError } from '../../shared/errors';
import { TtlCache } from '../../shared/ttl-cache';
import { AssessmentModel } from '../model/assessment.model';
import type { Assessment } from '../model/assessment.types';

// The one reader and writer of the assessments collection. Topics, groups and the IRO register are
// embedded in the assessment, so every change is one update of one document; going through
// editAssessment also keeps the respondent cache below honest.

// A staff page's GET may read its assessment in more than one place (the review stamp, then the
// page); within one such request the reads share the first one (see withSharedReads).
const sharedReads = new AsyncLocalStorage<Map<string, Assessment>>();

/** Runs `fn` (the rest of a GET request) with one shared read per assessment. Never for writes. */
export function withSharedReads<T>(fn: () => T): T {
  return sharedReads.run(new Map(), fn);
}

export async function loadAssessment(id: string): Promise<Assessment> {
  const shared = sharedReads.getStore();
  const hit = shared?.get(id);
  if (hit) return hit;
  const a = await readAssessment(id);
  shared?.set(id, a);
  return a;
}

/** One primary-key read of the assessment, never shared: what edits compare and set against. */
async function readAssessment(id: string): Promise<Assessment> {
  const a =
    typeof id === 'string' && /^[a-f0-9]{24}$/.test(id)
      ? await AssessmentModel.findById(id).lean<Assessment>()
      : null;
  if (!a) throw new AppError(404, 'not_found', 'assess.notFound');
  return a;
}

// Respondent paths read the assessment on every request; a short-lived cache saves that read.
// Changes made through this process invalidate it at once; other app instances see a change
// (e.g. closing the survey) within CACHE_MS.
const CACHE_MS = 2000;
const cache = new TtlCache<Assessment>(CACHE_MS);

export async function loadAssessmentCached(id: string): Promise<Assessment> {
  const hit = cache.get(id);
  if (hit) return hit;
  const doc = await loadAssessment(id);
  cache.set(id, doc);
  return doc;
}

/** Every assessment. A handful per year: scanning this collection is cheap on any engine. */
export const allAssessments = () => AssessmentModel.find({}).lean<Assessment[]>();

/** Creates an assessment and its audit entry; without the entry, the assessment is removed again. */
export async function insertAssessment(
  doc: Omit<Assessment, '_id' | 'locked' | 'version' | 'createdAt' | 'updatedAt'>,
  audit: { actor: AuditActor; action: AuditAction; after?: unknown },
): Promise<Assessment> {
  const created = (await AssessmentModel.create(doc)).toObject<Assessment>();
  try {
    await recordAudit({
      actor: audit.actor,
      action: audit.action,
      assessmentId: created._id,
      after: audit.after ?? { name: created.name, reportingYear: created.reportingYear },
    });
  } catch (err) {
    await AssessmentModel.deleteOne({ _id: created._id });
    throw err;
  }
  return created;
}

/** Topics, groups and instrument modes are frozen once the first response is stored. */
export const assessmentLocked = () =>
  new AppError(409, 'assessment_locked', 'assess.lockedMessage');

/**
 * A signed-off assessment is frozen: every edit but reopening answers this (pages, API and CLI
 * alike, since they all edit through editAssessment).
 */
export const assessmentSignedOff = () =>
  new AppError(409, 'assessment_signed_off', 'review.signedOffMessage');

/** Refuses a write that could change the results of a signed-off assessment. */
export function assertNotSignedOff(a: Pick<Assessment, 'status'>): void {
  if (a.status === 'approved') throw assessmentSignedOff();
}

/** Someone else kept changing the assessment while this edit was retried. */
export const assessmentConflict = () => new AppError(409, 'conflict', 'assess.conflict');

/** What a staff edit may change. Never `locked` (only markLocked sets it) nor `version`. */
export type AssessmentChange = Partial<
  Pick<
    Assessment,
    | 'name'
    | 'status'
    | 'settings'
    | 'topics'
    | 'groups'
    | 'iros'
    | 'overrides'
    | 'decisions'
    | 'signOff'
    | 'signOffHistory'
    | 'topicMap'
    | 'branding'
  >
>;

/** One staff edit computed from the assessment as read: the fields to set ({} = nothing to write). */
export interface Edit<R> {
  set: AssessmentChange;
  result: R;
  /** This change alters what respondents are asked, so it is refused once the assessment is locked. */
  frozen?: boolean;
  /** What the audit entry records, when not the changed top-level fields of `set`. */
  audit?: { action?: AuditAction; target?: string; before?: unknown; after?: unknown };
}

export interface EditOptions {
  /** Every change of this edit is frozen by the lock: refused before `edit` runs. */
  frozen?: boolean;
  /** Who changes what: every edit writes its audit entry (see audit/audit.writer.ts). */
  audit: { actor: AuditActor; action: AuditAction; target?: string };
  /** Allowed on a signed-off assessment: reopening it, and the branding (it changes no result). */
  whileSignedOff?: boolean;
}

/** The changed fields of `set` against `a`; settings are compared one setting deeper. */
function defaultDiff(a: Assessment, set: AssessmentChange) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(set)) {
    const was = (a as unknown as Record<string, unknown>)[key];
    const nested =
      key === 'settings' ? changedFields(was as Record<string, unknown>, value as never) : null;
    if (nested) {
      before[key] = nested.before;
      after[key] = nested.after;
    } else if (JSON.stringify(was) !== JSON.stringify(value) && key !== 'settings') {
      before[key] = was ?? null;
      after[key] = value;
    }
  }
  return { before, after };
}

const MAX_EDIT_TRIES = 6;
const pause = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));

/**
 * A staff edit as a compare-and-set on the assessment's version: read, compute the change with
 * `edit`, write it only if nobody wrote since (and, for a frozen change, only while unlocked: the
 * lock is in the write filter, so an edit that races the first response cannot land after it).
 * When the write matches nothing the edit is applied again to a fresh read, so two analysts
 * changing different topics both keep their change; a lock seen then answers 409
 * assessment_locked, and retries running out answer 409 conflict. The filter is more than `_id`:
 * on the embedded engine that scans the collection, which holds a handful of assessments (staff
 * paths only; markLocked, on the respondent path, stays a primary-key update).
 */
export async function editAssessment<R>(
  id: string,
  edit: (a: Assessment) => Edit<R>,
  opts: EditOptions,
): Promise<{ assessment: Assessment; result: R }> {
  for (let attempt = 0; attempt < MAX_EDIT_TRIES; attempt++) {
    if (attempt > 0) await pause(attempt);
    const a = await readAssessment(id);
    if (!opts.whileSignedOff) assertNotSignedOff(a);
    if (opts.frozen && a.locked) throw assessmentLocked();
    const e = edit(a);
    const frozen = opts.frozen === true || e.frozen === true;
    if (frozen && a.locked) throw assessmentLocked();
    if (!Object.keys(e.set).length) return { assessment: a, result: e.result };
    await hookPoint('assessment.beforeWrite');
    const version = a.version ?? 0;
    const updatedAt = new Date();
    const filter = {
      _id: id,
      version: version === 0 ? { $in: [0, null] } : version,
      ...(frozen ? { locked: { $ne: true } } : {}),
    };
    cache.delete(id);
    const written = await AssessmentModel.updateOne(filter, {
      $set: { ...e.set, updatedAt },
      $inc: { version: 1 },
    });
    cache.delete(id);
    if (written.matchedCount === 1) {
      await auditOrUndo(a, e, opts, version + 1);
      return { assessment: { ...a, ...e.set, updatedAt, version: version + 1 }, result: e.result };
    }
  }
  throw assessmentConflict();
}

/**
 * Writes the edit's audit entry; when that fails the edit is undone (a compare-and-set back to the
 * fields as read) and the request fails, so no change stands without its entry.
 */
async function auditOrUndo<R>(a: Assessment, e: Edit<R>, opts: EditOptions, written: number) {
  const diff = defaultDiff(a, e.set);
  try {
    await recordAudit({
      actor: opts.audit.actor,
      action: e.audit?.action ?? opts.audit.action,
      assessmentId: a._id,
      target: e.audit?.target ?? opts.audit.target,
      before: e.audit && 'before' in e.audit ? e.audit.before : diff.before,
      after: e.audit && 'after' in e.audit ? e.audit.after : diff.after,
    });
  } catch (err) {
    const undo: Record<string, unknown> = { updatedAt: a.updatedAt };
    for (const key of Object.keys(e.set))
      undo[key] = (a as unknown as Record<string, unknown>)[key];
    cache.delete(a._id);
    await AssessmentModel.updateOne(
      { _id: a._id, version: written },
      { $set: undo, $inc: { version: 1 } },
    );
    cache.delete(a._id);
    throw err;
  }
}

/** Called once by the first stored response (a primary-key write). */
export async function markLocked(id: string): Promise<void> {
  cache.delete(id);
  await AssessmentModel.updateOne({ _id: id }, { $set: { locked: true } });
}
