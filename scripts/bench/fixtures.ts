import type { SessionUser } from '../../src/auth/roles';
import { addGroup } from '../../src/assessments/services/group.service';
import { addTopic } from '../../src/assessments/services/topic.service';
import { createAssessment, setStatus } from '../../src/assessments/services/assessment.service';
import type { Assessment } from '../../src/assessments/model/assessment.types';
import { loadAssessment } from '../../src/assessments/services/assessment.store';

export const BENCH_ACTOR: SessionUser = {
  id: 'bench',
  email: 'bench@localhost.invalid',
  role: 'admin',
};

/** An open assessment with `topics` topics, five impact groups and one financial group. */
export async function benchAssessment(name: string, topics = 20): Promise<Assessment> {
  const a = await createAssessment(BENCH_ACTOR, { name, reportingYear: 2025, template: 'blank' });
  for (let i = 1; i <= topics; i++) {
    await addTopic(BENCH_ACTOR, a._id, {
      code: `t${i}`,
      name: { en: `Topic ${i}` },
      category: (['E', 'S', 'G'] as const)[i % 3],
    });
  }
  const groups: [string, ('impact' | 'financial')[], number][] = [
    ['users', ['impact'], 6000],
    ['employees', ['impact'], 1500],
    ['suppliers', ['impact'], 300],
    ['investors', ['impact'], 100],
    ['ngos', ['impact'], 50],
    ['management', ['financial'], 50],
  ];
  for (const [code, instruments, target] of groups) {
    await addGroup(BENCH_ACTOR, a._id, {
      code,
      name: { en: code },
      kind: code === 'employees' || code === 'management' ? 'internal' : 'external',
      weight: 1,
      instruments,
      targetResponses: target,
    });
  }
  await setStatus(BENCH_ACTOR, a._id, { status: 'open' });
  return loadAssessment(a._id);
}
