import { readScope } from '../../audit/audit.reader';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { stampOf } from '../../assessments/model/lookups';
import { loadAssessment } from '../../assessments/services/assessment.store';
import { getResults } from '../../results/results.service';
import { getStats } from '../../results/tallies/tally.service';
import { ownValue } from '../../scoring';
import { localized, translator, type Lang } from '../../shared/i18n';
import { when } from '../pages/review.presenter';

/** A score as the appendix prints it, with the full-precision value kept beside the text. */
const num = (v: number | null) => ({ value: v, text: v === null ? '—' : v.toFixed(2) });

/**
 * The method appendix of an assessment in `lang`: every figure comes from the results (the approved
 * snapshot once signed off) or from the stored counters and the audit log, never typed in.
 */
export async function appendixModel(actor: SessionUser | undefined, id: string, lang: Lang) {
  assertCan(actor, 'read');
  const a = await loadAssessment(id);
  const results = await getResults(actor, a);
  const stats = await getStats(
    a._id,
    a.groups.map((g) => g.code),
  );
  const statuses = await readScope(a._id, { limit: 100, filter: { action: 'assessment.status' } });
  const t = translator(lang);
  const changes = statuses.entries.map((e) => ({
    to: (e.after as { status?: string } | undefined)?.status,
    at: e.at,
  }));
  const opened = changes.filter((c) => c.to === 'open').at(-1)?.at ?? null;
  const closed = changes.find((c) => c.to === 'closed')?.at ?? null;
  const s = results.settings;
  const minReportN = s.minReportN;
  const yn = (b: boolean) => t(b ? 'appendix.yes' : 'appendix.no');
  const name = (n: Record<string, string>) => localized(n, lang).text;
  const count = (n: number) =>
    n < minReportN ? t('appendix.fewer', { n: minReportN }) : String(n);
  const exclusions = (s as { exclusions?: unknown }).exclusions;
  return {
    lang,
    assessment: { id: a._id, name: a.name, reportingYear: a.reportingYear },
    title: t('appendix.title', { name: a.name, year: a.reportingYear }),
    stamp: stampOf(a, t).text,
    method: results.method,
    opened: opened ? when(opened) : t('appendix.notYet'),
    closed: closed ? when(closed) : t('appendix.notYet'),
    total: results.responses.total,
    groups: a.groups.map((g) => {
      const responded = ownValue(results.responses.byGroup, g.code) ?? 0;
      const invited = ownValue(stats.links, g.code)?.invited ?? 0;
      return {
        code: g.code,
        name: name(g.name) || g.code,
        kind: t(`appendix.${g.kind}`),
        weight: ownValue(s.weights, g.code) ?? g.weight,
        instruments: g.instruments.join(', '),
        invited: invited ? count(invited) : '—',
        responded: count(responded),
      };
    }),
    modes: { impact: s.instruments.impact.mode, financial: s.instruments.financial.mode },
    settings: {
      rule: s.rule,
      ruleText: t(s.rule === 'both' ? 'appendix.ruleBoth' : 'appendix.ruleEither'),
      ranking: s.rankingMethod,
      band: s.borderlineBand,
      minGroupN: s.minGroupN,
      minReportN,
      impact: s.thresholds.impact,
      financial: s.thresholds.financial,
    },
    exclusions:
      Array.isArray(exclusions) && exclusions.length ? exclusions.join(', ') : t('appendix.none'),
    topics: results.topics.map((tr) => ({
      rank: tr.rank,
      code: tr.code,
      name: name(tr.name) || tr.code,
      impact: num(tr.impact.score),
      financial: num(tr.financial.score),
      classification: t(`results.classification.${tr.classification}`),
      computed: yn(tr.computedMaterial),
      final: yn(tr.material),
    })),
    overrides: results.topics
      .filter((tr) => tr.override)
      .map((tr) =>
        t('appendix.override', {
          topic: `${name(tr.name) || tr.code} (${tr.code})`,
          computed: yn(tr.computedMaterial),
          final: yn(tr.material),
          rationale: tr.override!.rationale,
          by: tr.override!.by,
          at: when(tr.override!.at),
        }),
      ),
    signOff: results.signOff
      ? t('appendix.signedText', {
          body: results.signOff.body,
          date: results.signOff.meetingDate,
          minutes: results.signOff.minutesRef,
          by: results.signOff.by,
        })
      : t('appendix.notSigned'),
  };
}

export type AppendixModel = Awaited<ReturnType<typeof appendixModel>>;
