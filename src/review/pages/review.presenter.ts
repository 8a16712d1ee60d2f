import type { TFunction } from 'i18next';
import type { Assessment } from '../../assessments/model/assessment.types';
import type { Results } from '../../results/results.service';
import { localized, type Lang } from '../../shared/i18n';
import type { ReviewQueue } from '../services/queue.service';

export const when = (iso: string | Date) =>
  `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export interface ReviewPageInput {
  a: Assessment;
  results: Results;
  queue: ReviewQueue;
  lang: Lang;
  t: TFunction;
  canWrite: boolean;
  errors?: Record<string, string>;
  values?: Record<string, unknown>;
  /** which form the errors belong to */
  form?: string;
  notice?: string | null;
}

const yesNo = (t: TFunction, m: boolean) =>
  t(m ? 'review.page.material' : 'review.page.notMaterial');

/** The review page: the queue, an override form per topic, sign-off or reopen, the history. */
export function reviewPage(p: ReviewPageInput) {
  const { a, t } = p;
  const name = (n: Record<string, string>) => localized(n, p.lang).text;
  return {
    title: t('review.page.title'),
    tab: 'review',
    assessment: { id: a._id, name: a.name, reportingYear: a.reportingYear, status: a.status },
    queue: p.queue.items.map((i) => ({
      code: i.code,
      name: name(i.name),
      rank: i.rank,
      computed: yesNo(t, i.computedMaterial),
      final: yesNo(t, i.material),
      borderline: i.borderline,
      uncertain: i.uncertain
        ? t('review.page.uncertain', { p: (i.pMaterial ?? 0).toFixed(2) })
        : null,
      decision: t(
        i.decision === 'override'
          ? 'review.page.decisionOverride'
          : i.decision === 'keep'
            ? 'review.page.decisionKeep'
            : i.borderline
              ? 'review.page.decisionMissing'
              : 'review.page.forInformation',
      ),
      missing: i.needsDecision,
      reason: i.override?.rationale ?? i.keep?.rationale ?? '',
      by: i.override?.by ?? i.keep?.by ?? '',
      at: i.override ? when(i.override.at) : i.keep ? when(i.keep.at) : '',
    })),
    topics: p.results.topics.map((tr) => ({
      code: tr.code,
      name: name(tr.name),
      rank: tr.rank,
      computed: yesNo(t, tr.computedMaterial),
      computedMaterial: tr.computedMaterial,
      final: yesNo(t, tr.material),
      overridden: tr.override !== null,
      borderline: tr.borderline,
      uncertain: p.queue.items.some((i) => i.code === tr.code && i.uncertain),
    })),
    analytics: p.queue.analytics,
    canWrite: p.canWrite && a.status !== 'approved',
    blockers: p.queue.blockers,
    canSignOff: p.queue.canSignOff,
    undecided: p.queue.undecided.length,
    signOff: a.signOff
      ? { ...a.signOff, at: when(a.signOff.at), comment: a.signOff.comment ?? '' }
      : null,
    history: (a.signOffHistory ?? [])
      .map((h) => ({
        text: t('review.stamp.signed', { date: h.meetingDate, body: h.body }),
        minutesRef: h.minutesRef,
        reopened: t('review.page.reopenedBy', {
          who: h.reopenedBy,
          date: when(h.reopenedAt),
          reason: h.reason,
        }),
      }))
      .reverse(),
    errors: p.errors ?? {},
    values: p.values ?? {},
    form: p.form ?? '',
    notice: p.notice ?? null,
  };
}
