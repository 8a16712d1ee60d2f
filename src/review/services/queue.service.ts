import type { SessionUser } from '../../auth/roles';
import { assertCan, can } from '../../auth/roles';
import type { Assessment } from '../../assessments/model/assessment.types';
import { loadAssessment } from '../../assessments/services/assessment.store';
import { getResults, type Results } from '../../results/results.service';
import { fourEyesAllows, undecided } from './signoff.service';

export interface QueueItem {
  code: string;
  name: Record<string, string>;
  rank: number;
  computedMaterial: boolean;
  material: boolean;
  borderline: boolean;
  override: Results['topics'][number]['override'];
  decision: 'override' | 'keep' | null;
  keep: { rationale: string; by: string; at: string } | null;
}

export interface ReviewQueue {
  status: Assessment['status'];
  items: QueueItem[];
  undecided: string[];
  /** what stands between the asking user and a sign-off, in order */
  canSignOff: boolean;
  blockers: ('role' | 'status' | 'undecided' | 'fourEyes')[];
}

/** What needs a human decision before sign-off: every overridden topic and every borderline one. */
export function queueOf(a: Assessment, results: Results, actor: SessionUser): ReviewQueue {
  const keeps = new Map((a.decisions ?? []).map((d) => [d.topic, d]));
  const items = results.topics
    .filter((t) => t.override || t.borderline)
    .map((t): QueueItem => {
      const k = keeps.get(t.code);
      return {
        code: t.code,
        name: t.name,
        rank: t.rank,
        computedMaterial: t.computedMaterial,
        material: t.material,
        borderline: t.borderline,
        override: t.override,
        decision: t.override ? 'override' : k ? 'keep' : null,
        keep: k ? { rationale: k.rationale, by: k.by, at: new Date(k.at).toISOString() } : null,
      };
    });
  const missing = a.status === 'approved' ? [] : undecided(a, results);
  const blockers: ReviewQueue['blockers'] = [];
  if (!can(actor, 'signoff')) blockers.push('role');
  if (a.status !== 'closed') blockers.push('status');
  if (missing.length) blockers.push('undecided');
  if (!fourEyesAllows(a, actor.id)) blockers.push('fourEyes');
  return { status: a.status, items, undecided: missing, canSignOff: !blockers.length, blockers };
}

/** GET …/review (viewers and above). */
export async function reviewQueue(actor: SessionUser | undefined, id: string) {
  assertCan(actor, 'read');
  const a = await loadAssessment(id);
  return queueOf(a, await getResults(actor, a), actor);
}
