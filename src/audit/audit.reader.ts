import {
  AuditEntry,
  AuditSeq,
  entryId,
  type AuditActor,
  type AuditDoc,
  type AuditSeqDoc,
} from './audit.model';

/** An entry as api.md shows it. */
export interface AuditEntryJson {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  assessmentId?: string;
  target?: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditFilter {
  /** an exact action, or a family such as `topic` (every `topic.*`) */
  action?: string;
  /** an actor's e-mail or id, or `cli` */
  person?: string;
}

export interface AuditPage {
  entries: AuditEntryJson[];
  next: string | null;
}

export const MAX_LIMIT = 200;
/** A filtered read looks at this many entries at most, then hands back a cursor to go on. */
export const MAX_EXAMINED = 1000;

const parseJson = (s: string | undefined): unknown => (s === undefined ? undefined : JSON.parse(s));

export function entryJson(d: AuditDoc): AuditEntryJson {
  const actor: AuditActor =
    d.actor && 'id' in d.actor && d.actor.id
      ? { id: d.actor.id, email: d.actor.email }
      : { cli: true };
  return {
    id: d._id,
    at: new Date(d.at).toISOString(),
    actor,
    action: d.action,
    ...(d.assessmentId ? { assessmentId: d.assessmentId } : {}),
    ...(d.target !== undefined ? { target: d.target } : {}),
    ...(d.before !== undefined ? { before: parseJson(d.before) } : {}),
    ...(d.after !== undefined ? { after: parseJson(d.after) } : {}),
  };
}

export function matches(d: AuditDoc, f: AuditFilter): boolean {
  if (f.action && d.action !== f.action && !d.action.startsWith(`${f.action}.`)) return false;
  if (f.person) {
    const p = f.person.trim().toLowerCase();
    const a = d.actor as { id?: string; email?: string; cli?: boolean } | undefined;
    const who = a?.id ? [a.id, (a.email ?? '').toLowerCase()] : ['cli'];
    if (!who.includes(p)) return false;
  }
  return true;
}

/** The newest sequence number of a scope (0 when it has no entry): one primary-key read. */
export async function topSeq(scope: string): Promise<number> {
  const c = await AuditSeq.findById(scope).lean<AuditSeqDoc>();
  return c?.n ?? 0;
}

/** Every scope that has entries: one counter document per assessment, plus `system`. */
export async function allScopes(): Promise<AuditSeqDoc[]> {
  return AuditSeq.find({}).lean<AuditSeqDoc[]>();
}

/**
 * Walks a scope's entries downward from `below` (exclusive) by primary key. A sequence number can
 * be missing (its counter was taken by a write that then failed): it is skipped. The walk starts
 * at the scope's newest entry at most: `below` comes from a cursor a client can forge, and a walk
 * from far above it would read every number in between (one read each, found or not).
 */
export async function* walkDown(scope: string, below: number): AsyncGenerator<AuditDoc> {
  const top = await topSeq(scope);
  for (let seq = Math.min(below - 1, top); seq >= 1; seq--) {
    const d = await AuditEntry.findById(entryId(scope, seq)).lean<AuditDoc>();
    if (d) yield d;
  }
}

/**
 * One page of a scope's entries, newest first. The cursor is the sequence number to read below.
 * Unfiltered, a page costs `limit` primary-key reads; filtered, at most MAX_EXAMINED.
 */
export async function readScope(
  scope: string,
  opts: { limit: number; before?: string; filter?: AuditFilter },
): Promise<AuditPage> {
  const before = opts.before ? Number(opts.before) : (await topSeq(scope)) + 1;
  if (!Number.isSafeInteger(before) || before < 1) return { entries: [], next: null };
  const entries: AuditEntryJson[] = [];
  let examined = 0;
  let last = before;
  for await (const d of walkDown(scope, before)) {
    last = d.seq;
    examined++;
    if (matches(d, opts.filter ?? {})) entries.push(entryJson(d));
    if (entries.length >= opts.limit || examined >= MAX_EXAMINED) break;
  }
  return {
    entries,
    next:
      last > 1 && (entries.length >= opts.limit || examined >= MAX_EXAMINED) ? String(last) : null,
  };
}
