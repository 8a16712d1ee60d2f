import { actorOf } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import type { Assessment, StoredOverride } from '../../assessments/model/assessment.types';
import { editAssessment } from '../../assessments/services/assessment.store';
import { AppError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { overridePutSchema, rationaleSchema } from '../review.schemas';

// A reviewer's final materiality of a topic, against the computed one. Stored on the assessment
// (results read it there, one layer below review), set and removed with a written rationale, each
// change one compare-and-set edit with its audit entry; refused once signed off (in the store).

const noSuchTopic = () => new AppError(404, 'not_found', 'assess.noSuchTopic');

function topicOf(a: Assessment, code: string) {
  if (!a.topics.some((t) => t.code === code)) throw noSuchTopic();
}

const shown = (o: StoredOverride) => ({
  material: o.material,
  rationale: o.rationale,
  by: o.by,
  at: new Date(o.at).toISOString(),
});

/** PUT …/overrides/:topic: sets (or replaces) the topic's override. */
export async function setOverride(
  actor: SessionUser | undefined,
  id: string,
  topic: string,
  input: unknown,
) {
  assertCan(actor, 'write');
  const body = parse(overridePutSchema, input);
  const { result } = await editAssessment(
    id,
    (a) => {
      topicOf(a, topic);
      const old = (a.overrides ?? []).find((o) => o.topic === topic);
      const next: StoredOverride = {
        topic,
        material: body.material,
        rationale: body.rationale,
        by: actor.email,
        byId: actor.id,
        at: new Date(),
      };
      return {
        set: { overrides: [...(a.overrides ?? []).filter((o) => o.topic !== topic), next] },
        result: shown(next),
        audit: {
          before: old ? { material: old.material, rationale: old.rationale } : { override: null },
          after: { material: next.material, rationale: next.rationale },
        },
      };
    },
    { audit: { actor: actorOf(actor), action: 'override.set', target: topic } },
  );
  return result;
}

/** DELETE …/overrides/:topic: the topic goes back to its computed materiality. */
export async function deleteOverride(
  actor: SessionUser | undefined,
  id: string,
  topic: string,
  input: unknown,
): Promise<void> {
  assertCan(actor, 'write');
  const { rationale } = parse(rationaleSchema, input);
  await editAssessment(
    id,
    (a) => {
      topicOf(a, topic);
      const old = (a.overrides ?? []).find((o) => o.topic === topic);
      if (!old) throw new AppError(404, 'not_found', 'review.noOverride');
      return {
        set: { overrides: (a.overrides ?? []).filter((o) => o.topic !== topic) },
        result: undefined,
        audit: {
          before: { material: old.material, rationale: old.rationale },
          after: { override: null, rationale },
        },
      };
    },
    { audit: { actor: actorOf(actor), action: 'override.delete', target: topic } },
  );
}

/** A borderline topic kept as computed, with the reason (the other decision is an override). */
export async function keepAsComputed(
  actor: SessionUser | undefined,
  id: string,
  topic: string,
  input: unknown,
): Promise<void> {
  assertCan(actor, 'write');
  const { rationale } = parse(rationaleSchema, input);
  await editAssessment(
    id,
    (a) => {
      topicOf(a, topic);
      const decisions = (a.decisions ?? []).filter((d) => d.topic !== topic);
      decisions.push({
        topic,
        decision: 'keep',
        rationale,
        by: actor.email,
        byId: actor.id,
        at: new Date(),
      });
      return {
        set: { decisions },
        result: undefined,
        audit: { after: { decision: 'keep', rationale } },
      };
    },
    { audit: { actor: actorOf(actor), action: 'review.decision', target: topic } },
  );
}
