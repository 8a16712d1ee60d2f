import crypto from 'node:crypto';
import { actorOf } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { AppError, ValidationError } from '../../shared/errors';
import { parse } from '../../shared/validate';
import { iroSchema } from '../model/assessment.schemas';
import type { Iro } from '../model/assessment.types';
import { assertIroCount } from '../model/limits';
import { editAssessment } from './assessment.store';

// The register of impacts, risks and opportunities per topic. It stays editable while the
// assessment is locked: it documents topics, it does not change the questionnaire. Its changes
// still go through the version check, so none is lost to a concurrent edit.

export async function addIro(
  actor: SessionUser | undefined,
  id: string,
  input: unknown,
): Promise<Iro> {
  assertCan(actor, 'write');
  const iroId = crypto.randomBytes(6).toString('hex');
  const { result } = await editAssessment(
    id,
    (a) => {
      const data = parse(iroSchema, input);
      if (!a.topics.some((t) => t.code === data.topic))
        throw new ValidationError([{ path: 'topic', message: 'assess.noSuchTopic' }]);
      const iro: Iro = { id: iroId, ...data };
      assertIroCount(a.iros.length + 1, 'topic');
      return {
        set: { iros: [...a.iros, iro] },
        result: iro,
        audit: { target: iro.topic, after: iro },
      };
    },
    { audit: { actor: actorOf(actor), action: 'iro.create' } },
  );
  return result;
}

export async function removeIro(
  actor: SessionUser | undefined,
  id: string,
  iroId: string,
): Promise<void> {
  assertCan(actor, 'write');
  await editAssessment(
    id,
    (a) => {
      const current = a.iros.find((i) => i.id === iroId);
      if (!current) throw new AppError(404, 'not_found', 'assess.noSuchIro');
      return {
        set: { iros: a.iros.filter((i) => i.id !== iroId) },
        result: undefined,
        audit: { target: current.topic, before: current, after: undefined },
      };
    },
    { audit: { actor: actorOf(actor), action: 'iro.delete' } },
  );
}
