import { actorOf, changedFields } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { ownValue } from '../../scoring';
import { AppError, ValidationError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import {
  createAssessmentSchema,
  statusSchema,
  updateAssessmentSchema,
} from '../model/assessment.schemas';
import type { Assessment, Status } from '../model/assessment.types';
import { defaultSettings } from '../model/defaults';
import { canTransition } from '../model/lookups';
import { getTemplate } from '../templates';
import { assertGroupCount, assertTopicCount } from '../model/limits';
import {
  allAssessments,
  assessmentLocked,
  editAssessment,
  insertAssessment,
  loadAssessment,
  type AssessmentChange,
} from './assessment.store';

// One assessment as a whole: reading it, creating it from a template, its settings and its status.
// Its topics, groups and IRO register have services of their own beside this one. Every change
// goes through editAssessment (a compare-and-set on the assessment's version, see the store).

export const duplicateCode = (path: string, message: string) =>
  new AppError(409, 'duplicate_code', message, [{ path, message }]);

export async function getAssessment(
  actor: SessionUser | undefined,
  id: string,
): Promise<Assessment> {
  assertCan(actor, 'read');
  return loadAssessment(id);
}

export async function listAssessments(actor: SessionUser | undefined): Promise<Assessment[]> {
  assertCan(actor, 'read');
  const all = await allAssessments();
  return all.sort((a, b) => b.reportingYear - a.reportingYear || +b.createdAt - +a.createdAt);
}

export async function createAssessment(
  actor: SessionUser | undefined,
  input: unknown,
): Promise<Assessment> {
  assertCan(actor, 'write');
  const data = parse(createAssessmentSchema, input);
  const tpl = getTemplate(data.template);
  // Templates are ours and small; the caps still apply, so a new template cannot break them.
  assertTopicCount(tpl.topics.length, 'template');
  assertGroupCount(tpl.groups.length, 'template');
  return insertAssessment(
    {
      name: data.name,
      reportingYear: data.reportingYear,
      template: data.template,
      status: 'draft',
      settings: defaultSettings(),
      topics: tpl.topics.map((t) => ({
        code: t.code,
        name: t.name,
        description: t.description,
        category: t.category,
        impactProfile: t.impactProfile,
      })),
      groups: tpl.groups.map((g) => ({
        code: g.code,
        name: g.name,
        kind: g.kind,
        weight: g.weight,
        instruments: g.instruments,
        targetResponses: g.targetResponses,
      })),
      iros: [],
      createdBy: actor.id,
    },
    {
      actor: actorOf(actor),
      action: 'assessment.create',
      after: { name: data.name, reportingYear: data.reportingYear, template: data.template },
    },
  );
}

export async function updateAssessment(
  actor: SessionUser | undefined,
  id: string,
  input: unknown,
): Promise<Assessment> {
  assertCan(actor, 'write');
  const data = parse(updateAssessmentSchema, input);
  const { assessment } = await editAssessment(
    id,
    (a) => {
      const set: AssessmentChange = {};
      if (data.name) set.name = data.name;
      if (!data.settings) return { set, result: undefined };
      const { weights, ...rest } = data.settings;
      const modesChange =
        (rest.instruments?.impact &&
          rest.instruments.impact.mode !== a.settings.instruments.impact.mode) ||
        (rest.instruments?.financial &&
          rest.instruments.financial.mode !== a.settings.instruments.financial.mode);
      if (modesChange && a.locked) throw assessmentLocked();
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
      if (weights) set.groups = weighted(a, weights);
      return { set, result: undefined, frozen: Boolean(modesChange), audit: weightsDiff(a, set) };
    },
    { audit: { actor: actorOf(actor), action: 'assessment.update' } },
  );
  return assessment;
}

/** The audit diff of a settings edit, with changed weights shown as `settings.weights` by group. */
function weightsDiff(a: Assessment, set: AssessmentChange) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (set.name !== undefined && set.name !== a.name) {
    before.name = a.name;
    after.name = set.name;
  }
  if (set.settings) {
    const d = changedFields(a.settings as never, set.settings as never);
    if (d) {
      before.settings = d.before;
      after.settings = d.after;
    }
  }
  if (set.groups) {
    const wb: Record<string, number> = Object.create(null) as Record<string, number>;
    const wa: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const g of set.groups) {
      const old = a.groups.find((x) => x.code === g.code);
      if (old && old.weight !== g.weight) {
        wb[g.code] = old.weight;
        wa[g.code] = g.weight;
      }
    }
    if (Object.keys(wa).length) {
      before.weights = wb;
      after.weights = wa;
    }
  }
  return { before, after };
}

/** The groups with the given weights (by group code); a code that names no group is a validation error. */
function weighted(a: Assessment, weights: Record<string, number>): Assessment['groups'] {
  const unknown = Object.keys(weights).filter((code) => !a.groups.some((g) => g.code === code));
  if (unknown.length)
    throw new ValidationError(
      unknown.map((c) => ({ path: `settings.weights.${c}`, message: 'assess.unknownGroup' })),
    );
  return a.groups.map((g) => {
    const weight = ownValue(weights, g.code);
    return weight === undefined ? g : { ...g, weight };
  });
}

const invalidTransition = (from: Status, to: Status) =>
  new AppError(409, 'invalid_transition', 'assess.invalidTransition', [
    { path: 'status', message: `${from} → ${to}` },
  ]);

export async function setStatus(
  actor: SessionUser | undefined,
  id: string,
  input: unknown,
): Promise<Assessment> {
  assertCan(actor, 'write');
  const { status } = parse(statusSchema, input);
  const { assessment } = await editAssessment(
    id,
    (a) => {
      if (!canTransition(a.status, status)) throw invalidTransition(a.status, status);
      if (status === 'open' && (!a.topics.length || !a.groups.some((g) => g.instruments.length))) {
        throw new AppError(409, 'not_ready', 'assess.notReady');
      }
      return { set: { status }, result: undefined };
    },
    { audit: { actor: actorOf(actor), action: 'assessment.status' } },
  );
  return assessment;
}
