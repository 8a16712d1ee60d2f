import { faultPoint } from '../db/faults';
import { AppError } from '../shared/errors';
import type { AuditAction } from './audit.actions';
import {
  AuditEntry,
  AuditSeq,
  entryId,
  SYSTEM_SCOPE,
  type AuditActor,
  type AuditDoc,
  type AuditSeqDoc,
} from './audit.model';

export interface AuditInput {
  actor: AuditActor;
  action: AuditAction;
  assessmentId?: string;
  target?: string;
  /** The changed fields only, as they were and as they became. */
  before?: unknown;
  after?: unknown;
}

/** The actor of a change: the signed-in user, or the command line when there is none. */
export function actorOf(user: { id: string; email: string } | undefined | null): AuditActor {
  return user ? { id: user.id, email: user.email } : { cli: true };
}

export const auditUnavailable = () => new AppError(503, 'audit_unavailable', 'audit.unavailable');

/**
 * THE writer of the audit log, called in the request that makes the change. It only inserts (a
 * counter `$inc`, then one insert under a new key): nothing anywhere updates or deletes an entry.
 * It throws when the entry cannot be written, and callers then undo or refuse their change, so a
 * change never stands without its entry.
 */
export async function recordAudit(input: AuditInput): Promise<string> {
  const scope = input.assessmentId ?? SYSTEM_SCOPE;
  try {
    faultPoint('audit.write');
    const counter = await AuditSeq.findOneAndUpdate(
      { _id: scope },
      { $inc: { n: 1 } },
      { upsert: true, returnDocument: 'after' },
    ).lean<AuditSeqDoc>();
    const seq = counter?.n;
    if (!seq) throw new Error('audit counter missing');
    const doc: AuditDoc = {
      _id: entryId(scope, seq),
      scope,
      seq,
      at: new Date(),
      actor: input.actor,
      action: input.action,
      ...(input.assessmentId ? { assessmentId: input.assessmentId } : {}),
      ...(input.target !== undefined ? { target: input.target } : {}),
      ...(input.before !== undefined ? { before: JSON.stringify(input.before) } : {}),
      ...(input.after !== undefined ? { after: JSON.stringify(input.after) } : {}),
    };
    await AuditEntry.create(doc);
    return doc._id;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw auditUnavailable();
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `after` that differ from `before`, as two objects holding only those fields. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const a: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(after)) {
    const was = Object.prototype.hasOwnProperty.call(before, key) ? before[key] : undefined;
    if (same(was, after[key])) continue;
    b[key] = was ?? null;
    a[key] = after[key] ?? null;
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
