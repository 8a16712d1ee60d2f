import crypto from 'node:crypto';
import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { AppError, ValidationError } from '../shared/errors';
import { TtlCache } from '../shared/ttl-cache';
import { parse } from '../shared/validate';
import { AssessmentModel } from './assessment.model';
import {
  createAssessmentSchema,
  groupPatchSchema,
  groupSchema,
  iroSchema,
  statusSchema,
  topicPatchSchema,
  topicSchema,
  updateAssessmentSchema,
} from './assessment.schemas';
import type { Assessment, Group, Iro, Status, Topic } from './assessment.types';
import { DEFAULT_PROFILE, defaultSettings } from './defaults';
import { canTransition } from './lookups';
import { getTemplate } from './templates';

export const locked = () =>
  new AppError(409, 'assessment_locked', 'assess.lockedMessage');

export async function loadAssessment(id: string): Promise<Assessment> {
  const a = typeof id === 'string' && /^[a-f0-9]{24}$/.test(id) ? await AssessmentModel.findById(id).lean<Assessment>() : null;
  if (!a) throw new AppError(404, 'not_found', 'assess.notFound');
  return a;
}

// Respondent paths read the assessment on every request; a short-lived cache saves that read.
// Changes made through this process invalidate it at once; other app instances see a change
// (e.g. closing the survey) within CACHE_MS.
const cache = new TtlCache<Assessment>(2000);

export async function loadAssessmentCached(id: string): Promise<Assessment> {
  const hit = cache.get(id);
  if (hit) return hit;
  const doc = await loadAssessment(id);
  cache.set(id, doc);
  return doc;
}

export async function getAssessment(actor: SessionUser | undefined, id: string): Promise<Assessment> {
  assertCan(actor, 'read');
  return loadAssessment(id);
}

export async function listAssessments(actor: SessionUser | undefined): Promise<Assessment[]> {
  assertCan(actor, 'read');
  // A handful of assessments per year: scanning this collection is cheap on any engine.
  const all = await AssessmentModel.find({}).lean<Assessment[]>();
  return all.sort((a, b) => b.reportingYear - a.reportingYear || +b.createdAt - +a.createdAt);
}

export async function createAssessment(actor: SessionUser | undefined, input: unknown): Promise<Assessment> {
  assertCan(actor, 'write');
  const data = parse(createAssessmentSchema, input);
  const tpl = getTemplate(data.template);
  const settings = defaultSettings();
  const doc = await AssessmentModel.create({
    name: data.name,
    reportingYear: data.reportingYear,
    template: data.template,
    status: 'draft',
    settings,
    topics: tpl.topics.map((t) => ({ code: t.code, name: t.name, description: t.description, category: t.category, impactProfile: t.impactProfile })),
    groups: tpl.groups.map((g) => ({ code: g.code, name: g.name, kind: g.kind, weight: g.weight, instruments: g.instruments, targetResponses: g.targetResponses })),
    iros: [],
    createdBy: actor.id,
  });
  return doc.toObject() as Assessment;
}

/** Writes changed fields of one assessment with a primary-key update. */
async function save(id: string, set: Partial<Assessment>): Promise<Assessment> {
  cache.delete(id);
  await AssessmentModel.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } });
  return loadAssessment(id);
}

async function editable(actor: SessionUser | undefined, id: string): Promise<Assessment> {
  assertCan(actor, 'write');
  const a = await loadAssessment(id);
  if (a.locked) throw locked();
  return a;
}

export async function updateAssessment(actor: SessionUser | undefined, id: string, input: unknown): Promise<Assessment> {
  assertCan(actor, 'write');
  const data = parse(updateAssessmentSchema, input);
  const a = await loadAssessment(id);
  const set: Partial<Assessment> = {};
  if (data.name) set.name = data.name;
  if (data.settings) {
    const { weights, ...rest } = data.settings;
    const s = data.settings;
    const modesChange =
      (s.instruments?.impact && s.instruments.impact.mode !== a.settings.instruments.impact.mode) ||
      (s.instruments?.financial && s.instruments.financial.mode !== a.settings.instruments.financial.mode);
    if (modesChange && a.locked) throw locked();
    set.settings = {
      ...a.settings,
      ...rest,
      thresholds: { ...a.settings.thresholds, ...rest.thresholds },
      instruments: { ...a.settings.instruments, ...rest.instruments },
      intro: { ...a.settings.intro, ...rest.intro },
      privacy: { ...a.settings.privacy, ...rest.privacy },
      axisLabels: {
        impact: { ...a.settings.axisLabels.impact, ...rest.axisLabels?.impact },
        financial: { ...a.settings.axisLabels.financial, ...rest.axisLabels?.financial },
      },
    };
    // Weights are a setting of the result, not of the questionnaire: they may change at any time.
    if (weights) {
      const unknown = Object.keys(weights).filter((code) => !a.groups.some((g) => g.code === code));
      if (unknown.length) throw new ValidationError(unknown.map((c) => ({ path: `settings.weights.${c}`, message: 'assess.unknownGroup' })));
      set.groups = a.groups.map((g) => (Object.hasOwn(weights, g.code) ? { ...g, weight: weights[g.code] } : g));
    }
  }
  return save(id, set);
}

export async function setStatus(actor: SessionUser | undefined, id: string, input: unknown): Promise<Assessment> {
  assertCan(actor, 'write');
  const { status } = parse(statusSchema, input);
  const a = await loadAssessment(id);
  if (!canTransition(a.status, status)) {
    throw new AppError(409, 'invalid_transition', `assess.invalidTransition`, [{ path: 'status', message: `${a.status} → ${status}` }]);
  }
  if (status === 'open' && (!a.topics.length || !a.groups.some((g) => g.instruments.length))) {
    throw new AppError(409, 'not_ready', 'assess.notReady');
  }
  return save(id, { status });
}

// ---- topics ----

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
  const a = await editable(actor, id);
  const topic = normaliseTopic(parse(topicSchema, input) as Topic);
  if (a.topics.some((t) => t.code === topic.code)) throw duplicate('code', 'assess.duplicateTopic');
  await save(id, { topics: [...a.topics, topic] });
  return topic;
}

export async function updateTopic(actor: SessionUser | undefined, id: string, code: string, input: unknown): Promise<Topic> {
  const a = await editable(actor, id);
  const patch = parse(topicPatchSchema, input);
  const current = a.topics.find((t) => t.code === code);
  if (!current) throw new AppError(404, 'not_found', 'assess.noSuchTopic');
  const next = normaliseTopic({ ...current, ...patch, code } as Topic);
  await save(id, { topics: a.topics.map((t) => (t.code === code ? next : t)) });
  return next;
}

export async function removeTopic(actor: SessionUser | undefined, id: string, code: string): Promise<void> {
  const a = await editable(actor, id);
  if (!a.topics.some((t) => t.code === code)) throw new AppError(404, 'not_found', 'assess.noSuchTopic');
  await save(id, { topics: a.topics.filter((t) => t.code !== code), iros: a.iros.filter((i) => i.topic !== code) });
}

export async function moveTopic(actor: SessionUser | undefined, id: string, code: string, direction: 'up' | 'down'): Promise<void> {
  const a = await editable(actor, id);
  const i = a.topics.findIndex((t) => t.code === code);
  if (i < 0) throw new AppError(404, 'not_found', 'assess.noSuchTopic');
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= a.topics.length) return;
  const topics = [...a.topics];
  [topics[i], topics[j]] = [topics[j], topics[i]];
  await save(id, { topics });
}

/** Adds all rows or none: every row is validated first, and one write stores them together. */
export async function importTopics(actor: SessionUser | undefined, id: string, rows: unknown[]): Promise<{ imported: number }> {
  const a = await editable(actor, id);
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
    topics.push(normaliseTopic(r.data as Topic));
  });
  if (!rows.length) errors.push({ path: 'file', message: 'assess.importEmpty' });
  if (errors.length) throw new ValidationError(errors, 'assess.importFailed');
  await save(id, { topics: [...a.topics, ...topics] });
  return { imported: topics.length };
}

// ---- IRO register (allowed while locked: it documents topics, it does not change the questionnaire) ----

export async function addIro(actor: SessionUser | undefined, id: string, input: unknown): Promise<Iro> {
  assertCan(actor, 'write');
  const a = await loadAssessment(id);
  const data = parse(iroSchema, input);
  if (!a.topics.some((t) => t.code === data.topic)) throw new ValidationError([{ path: 'topic', message: 'assess.noSuchTopic' }]);
  const iro: Iro = { id: crypto.randomBytes(6).toString('hex'), ...data };
  await save(id, { iros: [...a.iros, iro] });
  return iro;
}

export async function removeIro(actor: SessionUser | undefined, id: string, iroId: string): Promise<void> {
  assertCan(actor, 'write');
  const a = await loadAssessment(id);
  if (!a.iros.some((i) => i.id === iroId)) throw new AppError(404, 'not_found', 'assess.noSuchIro');
  await save(id, { iros: a.iros.filter((i) => i.id !== iroId) });
}

// ---- stakeholder groups ----

export async function addGroup(actor: SessionUser | undefined, id: string, input: unknown): Promise<Group> {
  const a = await editable(actor, id);
  const group = parse(groupSchema, input) as Group;
  if (a.groups.some((g) => g.code === group.code)) throw duplicate('code', 'assess.duplicateGroup');
  await save(id, { groups: [...a.groups, group] });
  return group;
}

export async function updateGroup(actor: SessionUser | undefined, id: string, code: string, input: unknown): Promise<Group> {
  assertCan(actor, 'write');
  const a = await loadAssessment(id);
  const patch = parse(groupPatchSchema, input);
  const current = a.groups.find((g) => g.code === code);
  if (!current) throw new AppError(404, 'not_found', 'assess.noSuchGroup');
  // Weight and target may change at any time; what respondents see (names, instruments, kind) may not.
  const questionnaireChange = patch.name || patch.kind || (patch.instruments && patch.instruments.join() !== current.instruments.join());
  if (a.locked && questionnaireChange) throw locked();
  const next = { ...current, ...patch } as Group;
  await save(id, { groups: a.groups.map((g) => (g.code === code ? next : g)) });
  return next;
}

export async function removeGroup(actor: SessionUser | undefined, id: string, code: string): Promise<void> {
  const a = await editable(actor, id);
  if (!a.groups.some((g) => g.code === code)) throw new AppError(404, 'not_found', 'assess.noSuchGroup');
  await save(id, { groups: a.groups.filter((g) => g.code !== code) });
}

function duplicate(path: string, message: string) {
  return new AppError(409, 'duplicate_code', message, [{ path, message }]);
}

/** Called once by the first stored response (a primary-key write). */
export async function markLocked(id: string): Promise<void> {
  cache.delete(id);
  await AssessmentModel.updateOne({ _id: id }, { $set: { locked: true } });
}
