import type { SessionUser } from '../../auth/roles';
import { AppError, ValidationError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { topicPatchSchema, topicSchema } from '../model/assessment.schemas';
import type { Topic } from '../model/assessment.types';
import { DEFAULT_PROFILE } from '../model/defaults';
import { duplicateCode, editableAssessment } from './assessment.service';
import { saveAssessment } from './assessment.store';

// The topics of an assessment, in the order respondents see them. They are part of the
// questionnaire, so every change here is refused once the assessment is locked.

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

export async function addTopic(actor: SessionUser | undefined, id: string, input: unknown): Promise<Topic> {
  const a = await editableAssessment(actor, id);
  const topic = normaliseTopic(parse(topicSchema, input));
  if (a.topics.some((t) => t.code === topic.code)) throw duplicateCode('code', 'assess.duplicateTopic');
  await saveAssessment(id, { topics: [...a.topics, topic] });
  return topic;
}

export async function updateTopic(actor: SessionUser | undefined, id: string, code: string, input: unknown): Promise<Topic> {
  const a = await editableAssessment(actor, id);
  const patch = parse(topicPatchSchema, input);
  const current = a.topics.find((t) => t.code === code);
  if (!current) throw noSuchTopic();
  const next = normaliseTopic({ ...current, ...patch, code });
  await saveAssessment(id, { topics: a.topics.map((t) => (t.code === code ? next : t)) });
  return next;
}

/** Removes the topic and its entries in the IRO register. */
export async function removeTopic(actor: SessionUser | undefined, id: string, code: string): Promise<void> {
  const a = await editableAssessment(actor, id);
  if (!a.topics.some((t) => t.code === code)) throw noSuchTopic();
  await saveAssessment(id, { topics: a.topics.filter((t) => t.code !== code), iros: a.iros.filter((i) => i.topic !== code) });
}

/** Swaps the topic with its neighbour; moving the first up or the last down changes nothing. */
export async function moveTopic(actor: SessionUser | undefined, id: string, code: string, direction: 'up' | 'down'): Promise<void> {
  const a = await editableAssessment(actor, id);
  const i = a.topics.findIndex((t) => t.code === code);
  const moved = a.topics[i];
  if (!moved) throw noSuchTopic();
  const j = direction === 'up' ? i - 1 : i + 1;
  const neighbour = a.topics[j];
  if (!neighbour) return;
  const topics = [...a.topics];
  topics[i] = neighbour;
  topics[j] = moved;
  await saveAssessment(id, { topics });
}

/** Adds all rows or none: every row is validated first, and one write stores them together. */
export async function importTopics(actor: SessionUser | undefined, id: string, rows: unknown[]): Promise<{ imported: number }> {
  const a = await editableAssessment(actor, id);
  const errors: { path: string; message: string }[] = [];
  const seen = new Set(a.topics.map((t) => t.code));
  const topics: Topic[] = [];
  rows.forEach((row, i) => {
    const r = topicSchema.safeParse(row);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push({ path: `row ${i + 2}: ${issue.path.join('.')}`, message: issue.message });
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
  await saveAssessment(id, { topics: [...a.topics, ...topics] });
  return { imported: topics.length };
}
