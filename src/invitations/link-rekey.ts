import crypto from 'node:crypto';
import os from 'node:os';
import type mongoose from 'mongoose';
import { AssessmentModel } from '../assessments/model/assessment.model';
import { loadAssessment } from '../assessments/services/assessment.store';
import { Meta } from '../auth/meta.model';
import { faultPoint } from '../db/faults';
import { responsesCollection, type ResponseDoc } from '../responses/response.model';
import { forgetBlockDetails } from '../results/tallies/answer-blocks';
import { inboxCollection } from '../results/tallies/inbox.model';
import { rebuildTallies } from '../results/tallies/rebuild.service';
import { keyedLinkRef, legacyLinkRef, linkRefKeyId, linkRefWith } from './link-ref';
import { linksCollection } from './link.model';

// `responses:rekey-links`: rewrites the link references of stored responses from the unkeyed hash
// of earlier versions (or a previous LINK_REF_SECRET) to the keyed one. A personal link's response
// id embeds its reference (`p_<ref>`, which makes the link single-use), so those responses move to
// their new id: a copy is inserted first, then the original is deleted, and a copy left by an
// interrupted run is recognised on the next one. A move keeps the group and the answers, so no
// counter changes, but the answer blocks carry each response's id for exports (answer-details.ts):
// an assessment with a moved response has its counters and blocks rebuilt from the stored
// responses (a signed-off one, which keeps its counters, has its blocks marked as lacking details,
// so its exports scan), as has one where a personal link submitted twice (once before the upgrade,
// once after it, before this command ran) and so had a response removed.

export interface RekeyReport {
  assessments: number;
  /** personal responses moved to their new id */
  moved: number;
  /** open-link responses whose reference was rewritten */
  relabelled: number;
  /** second submissions of a personal link removed (the first one is kept) */
  duplicatesRemoved: number;
  /** assessments whose counters were rebuilt */
  rebuilt: string[];
  /** personal responses left for a later run because they are not counted yet */
  pending: number;
}

interface Target {
  ref: string;
  kind: 'personal' | 'open';
}

type Doc = ResponseDoc & { nonce?: string };

const markerId = (assessmentId: string) => `rekey-links:${assessmentId}`;

/** Everything but the id and the reference, with sorted keys: a copy and its original agree. */
function fingerprint(d: Doc): string {
  const rest: Record<string, unknown> = { ...d };
  delete rest._id;
  delete rest.linkRef;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

/** Old reference → new reference for every link of the assessment (previous secret included). */
async function targetsOf(assessmentId: string, previous?: string): Promise<Map<string, Target>> {
  const map = new Map<string, Target>();
  const links = linksCollection().find(
    { assessmentId },
    { projection: { _id: 1, kind: 1 }, batchSize: 1000 },
  );
  for await (const l of links) {
    const target: Target = { ref: keyedLinkRef(l._id), kind: l.kind };
    for (const old of [legacyLinkRef(l._id), previous && linkRefWith(previous, l._id)]) {
      if (old && old !== target.ref) map.set(old, target);
    }
  }
  return map;
}

/** Moves one personal response to its new id (or removes it: a later second submission). */
async function movePersonal(doc: Doc, ref: string, report: RekeyReport): Promise<void> {
  const col = responsesCollection();
  const newId = `p_${ref}`;
  if (doc._id === newId) return;
  // A submission with a single-use id stores its response before counting takes its inbox entry
  // (results/tallies/inbox-writer.ts). Moved now, the response would be stored, and counted, once
  // more when counting moves that entry under the old id: it is left for a later run.
  if (await inboxCollection().findOne({ _id: doc._id }, { projection: { _id: 1 } })) {
    report.pending++;
    return;
  }
  const there: Doc | null = await col.findOne({ _id: newId });
  if (there && fingerprint(there) === fingerprint(doc)) {
    // The copy an interrupted run made: only the original is left to delete.
    await col.deleteOne({ _id: doc._id });
    report.moved++;
    return;
  }
  if (there) {
    // The link was used again after the upgrade: the first submission stays, the later one goes.
    report.duplicatesRemoved++;
    if (new Date(there.submittedAt) < new Date(doc.submittedAt)) {
      await col.deleteOne({ _id: doc._id });
      return;
    }
    await col.deleteOne({ _id: newId });
  }
  await col.insertOne({ ...doc, _id: newId, linkRef: ref });
  faultPoint('rekey.afterCopy');
  await col.deleteOne({ _id: doc._id });
  report.moved++;
}

async function rekeyAssessment(
  assessmentId: string,
  previous: string | undefined,
  report: RekeyReport,
  onProgress?: (done: number) => void,
): Promise<void> {
  const targets = await targetsOf(assessmentId, previous);
  if (!targets.size) return;
  // Set before the first write and removed after the last: a run that finds it left behind cannot
  // know what the interrupted one removed, so it rebuilds the counters.
  const interrupted = !!(await Meta.findById(markerId(assessmentId)).lean());
  await Meta.updateOne(
    { _id: markerId(assessmentId) },
    { $set: { at: new Date() } },
    { upsert: true },
  );
  const removedBefore = report.duplicatesRemoved;
  const movedBefore = report.moved;
  const openRefs = new Map<string, string>();
  let seen = 0;
  const cursor = responsesCollection().find({ assessmentId }, { batchSize: 500 });
  for await (const doc of cursor as AsyncIterable<Doc>) {
    if (++seen % 1000 === 0) onProgress?.(seen);
    const target = targets.get(doc.linkRef);
    if (!target) continue;
    if (target.kind === 'open') openRefs.set(doc.linkRef, target.ref);
    else await movePersonal(doc, target.ref, report);
  }
  // One update per open link (each a scan on the embedded engine), not one per response.
  for (const [old, ref] of openRefs) {
    const r = await responsesCollection().updateMany(
      { assessmentId, linkRef: old },
      { $set: { linkRef: ref } },
    );
    report.relabelled += r.modifiedCount;
  }
  const moved = report.moved > movedBefore;
  const signedOff = moved && (await loadAssessment(assessmentId)).status === 'approved';
  if (interrupted || report.duplicatesRemoved > removedBefore || (moved && !signedOff)) {
    await rebuildTallies(assessmentId);
    report.rebuilt.push(assessmentId);
  } else if (signedOff) {
    // A signed-off assessment keeps its counters (no rebuild), and takes no submissions, so no
    // counting changes its lists meanwhile: its blocks are marked as lacking details instead, and
    // its exports scan the responses (with their new ids) until it is reopened and rebuilt.
    await forgetBlockDetails(assessmentId);
  }
  await Meta.deleteOne({ _id: markerId(assessmentId) });
}

/**
 * Rekeys one assessment's responses, or every assessment's. Idempotent (a second run changes
 * nothing) and resumable (an interrupted run is finished by the next one).
 */
export async function rekeyLinkRefs(
  opts: { assessmentId?: string; previousSecret?: string },
  onProgress?: (assessmentId: string, done: number) => void,
): Promise<RekeyReport> {
  const report: RekeyReport = {
    assessments: 0,
    moved: 0,
    relabelled: 0,
    duplicatesRemoved: 0,
    rebuilt: [],
    pending: 0,
  };
  const ids = opts.assessmentId
    ? [(await loadAssessment(opts.assessmentId))._id]
    : (await AssessmentModel.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((a) =>
        String(a._id),
      );
  for (const id of ids) {
    await rekeyAssessment(id, opts.previousSecret, report, (n) => onProgress?.(id, n));
    report.assessments++;
  }
  return report;
}

// ---- automatic rekey at start-up ----

/** Set once every response was rekeyed under the configured secret (by its key id). */
const doneId = () => `rekey-links:auto:${linkRefKeyId()}`;
const LEASE_ID = 'rekey-links:lease';
export const AUTO_REKEY_LEASE_MS = 60_000;

interface LeaseDoc {
  _id: string;
  holder?: string;
  until?: Date;
  at?: Date;
}
const metaCollection = () => Meta.collection as unknown as mongoose.mongo.Collection<LeaseDoc>;

/** Takes (or renews) the rekey lease: one single-document conditional write. */
async function takeLease(holder: string): Promise<boolean> {
  const now = new Date();
  const until = new Date(+now + AUTO_REKEY_LEASE_MS);
  const r = await metaCollection().updateOne(
    { _id: LEASE_ID, $or: [{ holder }, { until: { $lt: now } }] },
    { $set: { holder, until } },
  );
  if (r.matchedCount === 1) return true;
  try {
    await metaCollection().insertOne({ _id: LEASE_ID, holder, until });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

/**
 * Personal links that submitted before the keyed link reference are recognised as used only once
 * their responses are rekeyed, and the unkeyed references (recomputable from the invitations CSV)
 * should not stay in the database: so every instance calls this at start-up and every few minutes.
 * It costs one primary-key read once done. Otherwise one instance at a time (a lease in `meta`,
 * renewed while it works; a crashed holder's expires) runs `responses:rekey-links` for the legacy
 * references, which is idempotent and resumable, and then records that it is done for this secret.
 * Returns the report, or null when there was nothing to do or another instance is doing it.
 */
export async function rekeyLinksOnce(
  holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`,
): Promise<RekeyReport | null> {
  if (await metaCollection().findOne({ _id: doneId() }, { projection: { _id: 1 } })) return null;
  if (!(await takeLease(holder))) return null;
  let lost = false;
  const renew = setInterval(() => {
    takeLease(holder).then(
      (ok) => (lost ||= !ok),
      () => (lost = true),
    );
  }, AUTO_REKEY_LEASE_MS / 3);
  renew.unref();
  try {
    // Another instance may have finished between the flag read and the lease.
    if (await metaCollection().findOne({ _id: doneId() }, { projection: { _id: 1 } })) return null;
    const report = await rekeyLinkRefs({});
    // Someone else holds it now (let them record it), or responses were left to count first.
    if (lost || report.pending) return report;
    await metaCollection().updateOne(
      { _id: doneId() },
      { $set: { at: new Date() } },
      { upsert: true },
    );
    return report;
  } finally {
    clearInterval(renew);
    await metaCollection().deleteOne({ _id: LEASE_ID, holder });
  }
}
