import { actorOf, changedFields } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { AppError, ValidationError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { topicPatchSchema, topicSchema } from '../model/assessment.schemas';
import type { Assessment, Topic } from '../model/assessment.types';
import { DEFAULT_PROFILE } from '../model/defaults';
import { assertTopicCount } from '../model/limits';
import { duplicateCode } from './assessment.service';
import { editAssessment } from './assessment.store';

// The topics of an assessment, in the order respondents see them. They are part of the
// questionnaire, so every change here is refused once the assessment is locked (the lock is in the
// write filter: an edit that races the first response fails instead of landing after it).

const frozen = (
  actor: SessionUser,
  action: 'topic.create' | 'topic.update' | 'topic.delete',
  target?: string,
) => ({ frozen: true, audit: { actor: actorOf(actor), action, target } }) as const;

const noSuchTopic = () => new AppError(404, 'not_found', 'assess.noSuchTopic');

function normaliseTopic(t: Omit<Topic, 'description' | 'impactProfile'> & Partial<Topic>): Topic {
  return {
    code: t.code,
    name: t.name,
    description: t.description ?? { en: '' },
    category: t.category,
    impactProfile: t.impactProfile ?? { ...DEFAULT_PROFILE },
  };
}

export async function addTopic(
  actor: SessionUser | undefined,
  id: string,
  input: unknown,
): Promise<Topic> {
  assertCan(actor, 'write');
  const { result } = await editAssessment(
    id,
    (a) => {
      const topic = normaliseTopic(parse(topicSchema, input));
      if (a.topics.some((t) => t.code === topic.code))
        throw duplicateCode('code', 'assess.duplicateTopic');
      assertTopicCount(a.topics.length + 1, 'code');
      return {
        set: { topics: [...a.topics, topic] },
        result: topic,
        audit: { target: topic.code, after: topic },
      };
    },
    frozen(actor, 'topic.create'),
  );
  return result;
}

export async function updateTopic(
  actor: SessionUser | undefined,
  id: string,
  code: string,
  input: unknown,
): Promise<Topic> {
  assertCan(actor, 'write');
  const { result } = await editAssessment(
    id,
    (a) => {
      const patch = parse(topicPatchSchema, input);
      const current = a.topics.find((t) => t.code === code);
      if (!current) throw noSuchTopic();
      const next = normaliseTopic({ ...current, ...patch, code });
      const diff = changedFields(current as never, next as never);
      return {
        set: diff ? { topics: a.topics.map((t) => (t.code === code ? next : t)) } : {},
        result: next,
        audit: { before: diff?.before, after: diff?.after },
      };
    },
    frozen(actor, 'topic.update', code),
  );
  return result;
}

/** Removes the topic and its entries in the IRO register. */
export async function removeTopic(
  actor: SessionUser | undefined,
  id: string,
  code: string,
): Promise<void> {
  assertCan(actor, 'write');
  await editAssessment(
    id,
    (a) => {
      const current = a.topics.find((t) => t.code === code);
      if (!current) throw noSuchTopic();
      return {
        set: {
          topics: a.topics.filter((t) => t.code !== code),
          iros: a.iros.filter((i) => i.topic !== code),
        },
        result: undefined,
        audit: { before: current, after: undefined },
      };
    },
    frozen(actor, 'topic.delete', code),
  );
}

/** Swaps the topic with its neighbour; moving the first up or the last down changes nothing. */
export async function moveTopic(
  actor: SessionUser | undefined,
  id: string,
  code: string,
  direction: 'up' | 'down',
): Promise<void> {
  assertCan(actor, 'write');
  await editAssessment(
    id,
    (a) => {
      const i = a.topics.findIndex((t) => t.code === code);
      const moved = a.topics[i];
      if (!moved) throw noSuchTopic();
      const j = direction === 'up' ? i - 1 : i + 1;
      const neighbour = a.topics[j];
      if (!neighbour) return { set: {}, result: undefined };
      const topics = [...a.topics];
      topics[i] = neighbour;
      topics[j] = moved;
      return {
        set: { topics },
        result: undefined,
        audit: { before: { position: i + 1 }, after: { position: j + 1 } },
      };
    },
    frozen(actor, 'topic.update', code),
  );
}

/** Adds all rows or none: every row is validated first, and one write stores them together. */
export async function importTopics(
  actor: SessionUser | undefined,
  id: string,
  rows: unknown[],
): Promise<{ imported: number }> {
  assertCan(actor, 'write');
  const { result } = await editAssessment(
    id,
    (a) => {
      const topics = validRows(a, rows);
      assertTopicCount(a.topics.length + topics.length, 'file');
      return {
        set: { topics: [...a.topics, ...topics] },
        result: { imported: topics.length },
        audit: { target: topics.map((t) => t.code).join(','), after: { imported: topics.length } },
      };
    },
    frozen(actor, 'topic.create'),
  );
  return result;
}

/** The rows as topics, or a ValidationError naming every bad row (codes must be new to `a`). */
function validRows(a: Assessment, rows: unknown[]): Topic[] {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set(a.topics.map((t) => t.code));
  const topics: Topic[] = [];
  rows.forEach((row, i) => {
    const r = topicSchema.safeParse(row);
    if (!r.success) {
      for (const issue of r.error.issues)
        errors.push({ path: `row ${i + 2}: ${issue.path.join('.')}`, message: issue.message });
      return;
    }
    if (seen.has(r.data.code)) {
      errors.push({ path: `row ${i + 2}: code`, message: 'assess.duplicateTopic' });
      return;
    }
    seen.add(r.data.code);
    topics.push(normaliseTopic(r.data));
  });
  if (!rows.length) errors.push({ path: 'file', message: 'assess.importEmpty' });
  if (errors.length) throw new ValidationError(errors, 'assess.importFailed');
  return topics;
}
