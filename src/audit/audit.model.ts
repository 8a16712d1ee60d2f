import mongoose, { Schema } from 'mongoose';

/** Who made a change: a signed-in user, or the command line. */
export type AuditActor = { id: string; email: string } | { cli: true };

/**
 * One entry of the append-only audit log. `_id` is `<scope>:<seq>` (seq zero-padded): the scope is
 * the assessment (or `system` for users, tokens and logins) and seq comes from the scope's counter,
 * so "an assessment's entries, newest first" is a walk down primary keys from the counter's value.
 * On the embedded engine only `{_id: value}` is fast (an `_id` range scans the table: measured 2 s
 * over 20 000 entries, against 2–3 ms for a primary-key read). `before`/`after` are JSON text, so a
 * field or code such as `__proto__` or `a.b` is stored as it is.
 */
export interface AuditDoc {
  _id: string;
  scope: string;
  seq: number;
  at: Date;
  actor: AuditActor;
  action: string;
  assessmentId?: string;
  target?: string;
  before?: string;
  after?: string;
}

export interface AuditSeqDoc {
  _id: string;
  n: number;
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: String,
    scope: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: new Schema({ id: String, email: String, cli: Boolean }, { _id: false }),
    action: { type: String, required: true },
    assessmentId: String,
    target: String,
    before: String,
    after: String,
  },
  { versionKey: false },
);

const seqSchema = new Schema<AuditSeqDoc>({ _id: String, n: Number }, { versionKey: false });

export const AuditEntry =
  (mongoose.models.AuditEntry as mongoose.Model<AuditDoc> | undefined) ??
  mongoose.model<AuditDoc>('AuditEntry', auditSchema, 'auditlog');

export const AuditSeq =
  (mongoose.models.AuditSeq as mongoose.Model<AuditSeqDoc> | undefined) ??
  mongoose.model<AuditSeqDoc>('AuditSeq', seqSchema, 'auditseqs');

export const SYSTEM_SCOPE = 'system';
export const entryId = (scope: string, seq: number) => `${scope}:${String(seq).padStart(12, '0')}`;
