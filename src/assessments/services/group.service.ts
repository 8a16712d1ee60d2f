import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { AppError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { groupPatchSchema, groupSchema } from '../model/assessment.schemas';
import type { Group } from '../model/assessment.types';
import { duplicateCode, editableAssessment, locked } from './assessment.service';
import { loadAssessment, saveAssessment } from './assessment.store';

// The stakeholder groups of an assessment. Weight and target are settings of the result and may
// change at any time; what respondents see (names, instruments, kind) is frozen once locked.

const noSuchGroup = () => new AppError(404, 'not_found', 'assess.noSuchGroup');

export async function addGroup(actor: SessionUser | undefined, id: string, input: unknown): Promise<Group> {
  const a = await editableAssessment(actor, id);
  const group = parse(groupSchema, input);
  if (a.groups.some((g) => g.code === group.code)) throw duplicateCode('code', 'assess.duplicateGroup');
  await saveAssessment(id, { groups: [...a.groups, group] });
  return group;
}

export async function updateGroup(actor: SessionUser | undefined, id: string, code: string, input: unknown): Promise<Group> {
  assertCan(actor, 'write');
  const a = await loadAssessment(id);
  const patch = parse(groupPatchSchema, input);
  const current = a.groups.find((g) => g.code === code);
  if (!current) throw noSuchGroup();
  const questionnaireChange = patch.name || patch.kind || (patch.instruments && patch.instruments.join() !== current.instruments.join());
  if (a.locked && questionnaireChange) throw locked();
  const next: Group = { ...current, ...patch };
  await saveAssessment(id, { groups: a.groups.map((g) => (g.code === code ? next : g)) });
  return next;
}

export async function removeGroup(actor: SessionUser | undefined, id: string, code: string): Promise<void> {
  const a = await editableAssessment(actor, id);
  if (!a.groups.some((g) => g.code === code)) throw noSuchGroup();
  await saveAssessment(id, { groups: a.groups.filter((g) => g.code !== code) });
}
