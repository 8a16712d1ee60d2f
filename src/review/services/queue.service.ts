import { peekAnalytics } from '../../analytics/analytics.service';
import type { Analytics } from '../../analytics/compute';
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
  /**
   * `0.1 < P(material) < 0.9` in the analytics cached for the current data (api.md "Analytics"):
   * listed for information; only a borderline topic needs a decision (api.md "Review").
   */
  uncertain: boolean;
  /** P(material) from the cached bootstrap, null when no analytics are cached for these data */
  pMaterial: number | null;
  /** whether sign-off waits for a decision on this topic (borderline, not decided yet) */
  needsDecision: boolean;
  override: Results['topics'][number]['override'];
  decision: 'override' | 'keep' | null;
  keep: { rationale: string; by: string; at: string } | null;
}

export interface ReviewQueue {
  status: Assessment['status'];
  items: QueueItem[];
  undecided: string[];
  /** whether analytics are cached for the current data (else uncertain topics cannot be listed yet) */
  analytics: boolean;
  /** what stands between the asking user and a sign-off, in order */
  canSignOff: boolean;
  blockers: ('role' | 'status' | 'undecided' | 'fourEyes')[];
}

/**
 * What a human reviews before sign-off: every overridden topic and every borderline one (these need
 * a recorded decision), and every topic the cached analytics call uncertain (for information).
 */
export function queueOf(
  a: Assessment,
  results: Results,
  actor: SessionUser,
  analytics: Analytics | null = null,
): ReviewQueue {
  const keeps = new Map((a.decisions ?? []).map((d) => [d.topic, d]));
  const byCode = new Map((analytics?.topics ?? []).map((x) => [x.code, x]));
  const missing = a.status === 'approved' ? [] : undecided(a, results);
  const items = results.topics
    .filter((t) => t.override || t.borderline || byCode.get(t.code)?.uncertain)
    .map((t): QueueItem => {
      const k = keeps.get(t.code);
      const x = byCode.get(t.code);
      return {
        code: t.code,
        name: t.name,
        rank: t.rank,
        computedMaterial: t.computedMaterial,
        material: t.material,
        borderline: t.borderline,
        uncertain: x?.uncertain ?? false,
        pMaterial: x?.pMaterial ?? null,
        needsDecision: missing.includes(t.code),
        override: t.override,
        decision: t.override ? 'override' : k ? 'keep' : null,
        keep: k ? { rationale: k.rationale, by: k.by, at: new Date(k.at).toISOString() } : null,
      };
    });
  const blockers: ReviewQueue['blockers'] = [];
  if (!can(actor, 'signoff')) blockers.push('role');
  if (a.status !== 'closed') blockers.push('status');
  if (missing.length) blockers.push('undecided');
  if (!fourEyesAllows(a, actor.id)) blockers.push('fourEyes');
  return {
    status: a.status,
    items,
    undecided: missing,
    analytics: analytics !== null,
    canSignOff: !blockers.length,
    blockers,
  };
}

/** GET …/review (viewers and above). */
export async function reviewQueue(actor: SessionUser | undefined, id: string) {
  assertCan(actor, 'read');
  const a = await loadAssessment(id);
  const [results, analytics] = await Promise.all([getResults(actor, a), peekAnalytics(a)]);
  return queueOf(a, results, actor, analytics);
}
