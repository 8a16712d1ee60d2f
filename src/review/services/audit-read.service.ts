import type { Writable } from 'node:stream';
import type { Response } from 'express';
import { readAll } from '../../audit/audit.global';
import { entryJson, matches, readScope, topSeq, walkDown } from '../../audit/audit.reader';
import type { AuditEntryJson, AuditFilter, AuditPage } from '../../audit/audit.reader';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import type { Assessment } from '../../assessments/model/assessment.types';
import { loadAssessment } from '../../assessments/services/assessment.store';
import { CSV_TYPE, streamCsv, type CsvValue } from '../../shared/csv';
import { setStampHeader, stampFilePart } from '../stamp';
import { parse } from '../../shared/validate';
import { auditQuerySchema } from '../review.schemas';

export interface AuditQuery extends AuditFilter {
  limit: number;
  before?: string;
}

export const auditQuery = (q: unknown): AuditQuery => {
  const p = parse(auditQuerySchema, q);
  return {
    limit: p.limit,
    ...(p.before ? { before: p.before } : {}),
    ...(p.action ? { action: p.action } : {}),
    ...(p.person ? { person: p.person } : {}),
  };
};

const filterOf = (q: AuditQuery): AuditFilter => ({ action: q.action, person: q.person });

/** One assessment's entries, newest first (viewers and above). */
export async function assessmentAudit(
  actor: SessionUser | undefined,
  id: string,
  q: AuditQuery,
): Promise<AuditPage> {
  assertCan(actor, 'read');
  await loadAssessment(id);
  return readScope(id, { limit: q.limit, before: q.before, filter: filterOf(q) });
}

/** Every entry, also users and logins (admins). */
export async function globalAudit(
  actor: SessionUser | undefined,
  q: AuditQuery,
): Promise<AuditPage> {
  assertCan(actor, 'manageUsers');
  return readAll({ limit: q.limit, before: q.before, filter: filterOf(q) });
}

export const AUDIT_CSV_HEADER = [
  'id',
  'at',
  'actor',
  'action',
  'assessmentId',
  'target',
  'before',
  'after',
];

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export function auditCsvRow(e: AuditEntryJson): CsvValue[] {
  const who = 'email' in e.actor ? e.actor.email : 'cli';
  return [
    e.id,
    e.at,
    who,
    e.action,
    e.assessmentId ?? null,
    e.target ?? null,
    json(e.before),
    json(e.after),
  ];
}

/**
 * The CSV download of an assessment's (filtered) log: a file job like the other exports, it walks
 * every entry by primary key, newest first, with bounded memory. Checks come before `start()`.
 */
export async function writeAssessmentAuditCsv(
  actor: SessionUser | undefined,
  id: string,
  filter: AuditFilter,
  out: Writable,
  start: (a: Assessment) => void,
): Promise<void> {
  assertCan(actor, 'read');
  const a = await loadAssessment(id);
  const top = await topSeq(id);
  start(a);
  async function* rows() {
    yield AUDIT_CSV_HEADER;
    for await (const d of walkDown(id, top + 1))
      if (matches(d, filter)) yield auditCsvRow(entryJson(d));
  }
  await streamCsv(out, rows());
  if (!out.writableEnded) out.end();
}

/**
 * The headers of an assessment's audit CSV: the review stamp in its name, as on every CSV of an
 * assessment (`audit-<id>-provisional.csv` / `audit-<id>-signed-off-<date>.csv`), and in a header.
 */
export function auditCsvStart(res: Response, a: Assessment): void {
  res.attachment(`audit-${a._id}-${stampFilePart(a)}.csv`).type(CSV_TYPE);
  setStampHeader(res, a);
}

/** The CSV of the global log (admins), through the same merge as its page. */
export async function writeGlobalAuditCsv(
  actor: SessionUser | undefined,
  filter: AuditFilter,
  out: Writable,
  start: () => void,
): Promise<void> {
  assertCan(actor, 'manageUsers');
  start();
  async function* rows() {
    yield AUDIT_CSV_HEADER;
    let before: string | undefined;
    do {
      const page = await readAll({ limit: 200, before, filter });
      for (const e of page.entries) yield auditCsvRow(e);
      before = page.next ?? undefined;
    } while (before);
  }
  await streamCsv(out, rows());
  if (!out.writableEnded) out.end();
}
