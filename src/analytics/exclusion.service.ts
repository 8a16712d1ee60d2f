import { z } from 'zod';
import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { actorOf, recordAudit } from '../audit/audit.writer';
import { assertNotSignedOff, loadAssessment } from '../assessments/services/assessment.store';
import { Exclusion, type ExclusionDoc } from '../results/tallies/exclusion.model';
import { FLAG_CLASSES, type FlagClass } from '../results/tallies/quality-flags';
import { parse } from '../shared/validate';

export const exclusionsBody = z
  .object({ exclude: z.array(z.enum(FLAG_CLASSES as [FlagClass, ...FlagClass[]])).max(2) })
  .strict();

/**
 * Which flag classes are left out of the scores (api.md). Nothing is deleted: the flagged responses
 * stay stored and counted per class, and results subtract them. Refused once signed off; audited
 * (`exclusion.set`, before and after) before it is written, so no change stands without its entry.
 */
export async function setExclusions(
  actor: SessionUser | undefined,
  id: string,
  body: unknown,
): Promise<{ exclude: FlagClass[] }> {
  assertCan(actor, 'write');
  const { exclude } = parse(exclusionsBody, body);
  const a = await loadAssessment(id);
  assertNotSignedOff(a);
  const sorted = FLAG_CLASSES.filter((f) => exclude.includes(f));
  const before = (await Exclusion.findById(id).lean<ExclusionDoc>())?.exclude ?? [];
  await recordAudit({
    actor: actorOf(actor),
    action: 'exclusion.set',
    assessmentId: id,
    before: { exclude: before },
    after: { exclude: sorted },
  });
  await Exclusion.updateOne(
    { _id: id },
    { $set: { exclude: sorted, by: actor?.email ?? '', at: new Date() } },
    { upsert: true },
  );
  return { exclude: sorted };
}

/** The excluded classes of an assessment (pages, exports). */
export async function exclusionsOf(id: string): Promise<FlagClass[]> {
  return (await Exclusion.findById(id).lean<ExclusionDoc>())?.exclude ?? [];
}
