import { actorOf } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { logoBytes } from '../../assessments/branding/logo';
import type { Assessment, Branding, TopicMapping } from '../../assessments/model/assessment.types';
import {
  editAssessment,
  insertAssessment,
  loadAssessment,
} from '../../assessments/services/assessment.store';
import { ValidationError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { copySchema, topicMapSchema } from '../review.schemas';

/**
 * Every mapping names a topic of the new assessment and only codes of the previous one; a topic
 * that keeps its code needs none (a rename keeps the code).
 */
function checkedMap(map: TopicMapping[], next: Assessment, previous: Assessment): TopicMapping[] {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  map.forEach((m, i) => {
    if (!next.topics.some((t) => t.code === m.code))
      errors.push({ path: `topicMap.${i}.code`, message: 'assess.noSuchTopic' });
    if (seen.has(m.code)) errors.push({ path: `topicMap.${i}.code`, message: 'review.mapTwice' });
    seen.add(m.code);
    m.previous.forEach((p, j) => {
      if (!previous.topics.some((t) => t.code === p))
        errors.push({ path: `topicMap.${i}.previous.${j}`, message: 'review.noPreviousTopic' });
    });
  });
  if (errors.length) throw new ValidationError(errors);
  return map.map((m) => ({ code: m.code, previous: [...new Set(m.previous)] }));
}

/**
 * POST …/copy: a new draft for next year with the same topics (every field), IRO register, groups,
 * settings and languages, and `previousAssessmentId`; no responses, links, overrides or sign-off.
 */
export async function copyAssessment(actor: SessionUser | undefined, id: string, input: unknown) {
  assertCan(actor, 'write');
  const body = parse(copySchema, input);
  const src = await loadAssessment(id);
  const copy = structuredClone({
    topics: src.topics,
    groups: src.groups,
    iros: src.iros,
    settings: src.settings,
  });
  const map = body.topicMap ? checkedMap(body.topicMap, src, src) : [];
  return insertAssessment(
    {
      name: body.name,
      reportingYear: body.reportingYear,
      template: src.template,
      status: 'draft',
      ...copy,
      createdBy: actor.id,
      previousAssessmentId: src._id,
      ...(map.length ? { topicMap: map } : {}),
      ...(src.branding ? { branding: copiedBranding(src.branding) } : {}),
    },
    {
      actor: actorOf(actor),
      action: 'assessment.copy',
      after: { name: body.name, reportingYear: body.reportingYear, copiedFrom: src._id },
    },
  );
}

/** The organisation's name and logo, the logo's bytes as a Buffer (a lean read gives a BSON Binary). */
function copiedBranding(b: Branding): Branding {
  return {
    ...(b.name ? { name: { ...b.name } } : {}),
    ...(b.logo ? { logo: { ...b.logo, data: Buffer.from(logoBytes(b.logo.data)) } } : {}),
  };
}

/** PUT …/topic-map: records merges and splits (new code → previous codes) on the new assessment. */
export async function setTopicMap(actor: SessionUser | undefined, id: string, input: unknown) {
  assertCan(actor, 'write');
  const map = parse(topicMapSchema, input);
  const a = await loadAssessment(id);
  if (!a.previousAssessmentId)
    throw new ValidationError([{ path: 'previousAssessmentId', message: 'review.noPrevious' }]);
  const previous = await loadAssessment(a.previousAssessmentId);
  const { assessment } = await editAssessment(
    id,
    (now) => {
      const topicMap = checkedMap(map, now, previous);
      return { set: { topicMap }, result: undefined };
    },
    { audit: { actor: actorOf(actor), action: 'assessment.update', target: 'topicMap' } },
  );
  return assessment;
}
