import { actorOf, changedFields } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { AppError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { groupPatchSchema, groupSchema } from '../model/assessment.schemas';
import type { Group } from '../model/assessment.types';
import { assertGroupCount } from '../model/limits';
import { duplicateCode } from './assessment.service';
import { editAssessment } from './assessment.store';

// The stakeholder groups of an assessment. Weight and target are settings of the result and may
// change at any time; what respondents see (names, instruments, kind) is frozen once locked, and
// that lock is in the write filter of each such change.

const noSuchGroup = () => new AppError(404, 'not_found', 'assess.noSuchGroup');

export async function addGroup(
  actor: SessionUser | undefined,
  id: string,
  input: unknown,
): Promise<Group> {
  assertCan(actor, 'write');
  const { result } = await editAssessment(
    id,
    (a) => {
      const group = parse(groupSchema, input);
      if (a.groups.some((g) => g.code === group.code))
        throw duplicateCode('code', 'assess.duplicateGroup');
      assertGroupCount(a.groups.length + 1, 'code');
      return {
        set: { groups: [...a.groups, group] },
        result: group,
        audit: { target: group.code, after: group },
      };
    },
    { frozen: true, audit: { actor: actorOf(actor), action: 'group.create' } },
  );
  return result;
}

export async function updateGroup(
  actor: SessionUser | undefined,
  id: string,
  code: string,
  input: unknown,
): Promise<Group> {
  assertCan(actor, 'write');
  const { result } = await editAssessment(
    id,
    (a) => {
      const patch = parse(groupPatchSchema, input);
      const current = a.groups.find((g) => g.code === code);
      if (!current) throw noSuchGroup();
      const questionnaireChange = Boolean(
        patch.name ||
        patch.kind ||
        (patch.instruments && patch.instruments.join() !== current.instruments.join()),
      );
      const next: Group = { ...current, ...patch };
      const diff = changedFields(current as never, next as never);
      return {
        set: diff ? { groups: a.groups.map((g) => (g.code === code ? next : g)) } : {},
        result: next,
        frozen: questionnaireChange,
        audit: { before: diff?.before, after: diff?.after },
      };
    },
    { audit: { actor: actorOf(actor), action: 'group.update', target: code } },
  );
  return result;
}

export async function removeGroup(
  actor: SessionUser | undefined,
  id: string,
  code: string,
): Promise<void> {
  assertCan(actor, 'write');
  await editAssessment(
    id,
    (a) => {
      const current = a.groups.find((g) => g.code === code);
      if (!current) throw noSuchGroup();
      return {
        set: { groups: a.groups.filter((g) => g.code !== code) },
        result: undefined,
        audit: { before: current, after: undefined },
      };
    },
    { frozen: true, audit: { actor: actorOf(actor), action: 'group.delete', target: code } },
  );
}
