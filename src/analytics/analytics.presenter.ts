import type { TFunction } from 'i18next';
import type { Assessment } from '../assessments/model/assessment.types';
import { groupName } from '../assessments/model/lookups';
import { ownValue } from '../scoring';
import { localized, type Lang } from '../shared/i18n';
import type { FlagClass } from '../results/tallies/quality-flags';
import type { Analytics } from './compute';
import { heatmapSvg } from './heatmap';

/** View model of the Analytics tab: the template gets this, never documents. */

const f2 = (x: number | null | undefined) => (typeof x === 'number' ? x.toFixed(2) : '—');
const pct = (x: number) => `${Math.round(x * 100)}%`;
const interval = (ci: [number, number] | null) => (ci ? `${f2(ci[0])}–${f2(ci[1])}` : '—');

/** Plain-language bands for W (after the usual reading of concordance coefficients). */
export function strengthOf(w: number): string {
  if (w < 0.1) return 'veryWeak';
  if (w < 0.3) return 'weak';
  if (w < 0.5) return 'moderate';
  if (w < 0.7) return 'strong';
  return 'veryStrong';
}

export interface AnalyticsPageInput {
  a: Assessment;
  lang: Lang;
  t: TFunction;
  analytics: Analytics | null;
  progress: number;
  canWrite: boolean;
  saved: boolean;
  excluded: FlagClass[];
}

export function analyticsPage(p: AnalyticsPageInput) {
  const { a, lang, t } = p;
  const base = {
    title: `${t('analytics.title')} · ${a.name}`,
    assessment: { id: a._id, name: a.name, reportingYear: a.reportingYear },
    tab: 'analytics',
    canWrite: p.canWrite,
    saved: p.saved,
    excluded: p.excluded,
    progress: p.progress,
  };
  const x = p.analytics;
  if (!x) return { ...base, ready: false as const };
  const topicName = (code: string) => {
    const topic = a.topics.find((tp) => tp.code === code);
    return (topic && localized(topic.name, lang).text) || code;
  };
  const gName = (code: string) => groupName(a, code, lang);
  const minReportN = a.settings.minReportN ?? 5;
  const ag = x.agreement;
  const sentence =
    ag.kendallW === null
      ? null
      : t('analytics.agreement.sentence', {
          w: ag.kendallW.toFixed(2),
          m: ag.groups.length,
          strength: t(`analytics.agreement.strength.${strengthOf(ag.kendallW)}`),
          chance: t(
            ag.pValue !== null && ag.pValue < 0.05
              ? 'analytics.agreement.significant'
              : 'analytics.agreement.notSignificant',
            { p: ag.pValue === null ? '—' : ag.pValue < 0.001 ? '< 0.001' : ag.pValue.toFixed(3) },
          ),
        });
  const spearmanRows = ag.groups.map((g) => ({
    name: gName(g),
    cells: ag.groups.map((h) => f2(ownValue(ownValue(ag.spearman, g), h) ?? null)),
  }));
  const topN = x.methodSensitivity.topN;
  return {
    ...base,
    ready: true as const,
    computedAt: x.computedAt,
    seedLine: t('analytics.seed', { replicates: x.bootstrap.replicates, seed: x.bootstrap.seed }),
    uncertaintyHelp: t('analytics.uncertainty.help', {
      replicates: x.bootstrap.replicates,
      draws: x.weightDraws,
    }),
    topics: x.topics.map((tp) => ({
      code: tp.code,
      name: topicName(tp.code),
      rank: tp.rank,
      impact: `${f2(tp.impact.score)} (${interval(tp.impact.ci95)})`,
      financial: `${f2(tp.financial.score)} (${interval(tp.financial.ci95)})`,
      pMaterial: pct(tp.pMaterial),
      rankRange: `${tp.rankRange90[0]}–${tp.rankRange90[1]}`,
      pMaterialUnderWeights: pct(tp.pMaterialUnderWeights),
      uncertain: tp.uncertain,
    })),
    anyUncertain: x.topics.some((tp) => tp.uncertain),
    agreement: {
      available: ag.kendallW !== null,
      w: f2(ag.kendallW),
      chi2: f2(ag.chi2),
      df: ag.df,
      p: ag.pValue === null ? '—' : ag.pValue < 0.001 ? '< 0.001' : ag.pValue.toFixed(3),
      sentence,
      groupNames: ag.groups.map(gName),
      rows: spearmanRows,
      svg: ag.groups.length >= 2 ? heatmapSvg(ag, gName, t('analytics.agreement.heatmap')) : null,
    },
    method: {
      help: t('analytics.method.help', { n: topN }),
      evaluated: x.methodSensitivity.evaluated.join(', '),
      flips: x.methodSensitivity.flips.map((fl) => ({
        name: topicName(fl.code),
        code: fl.code,
        under: fl.under,
        becomes: fl.under.startsWith('ranking:')
          ? t(fl.material ? 'analytics.method.inTop' : 'analytics.method.notInTop', { n: topN })
          : t(fl.material ? 'analytics.method.material' : 'analytics.method.notMaterial'),
      })),
    },
    logo: x.leaveOneGroupOut.map((l) => ({
      group: gName(l.group),
      changes: l.flips.map(
        (fl) => `${topicName(fl.code)} → ${t(`results.classification.${fl.classification}`)}`,
      ),
    })),
    quality: {
      rows: a.groups.map((g) => {
        const q = ownValue(x.quality.byGroup, g.code) ?? { straightLining: 0, speeder: 0 };
        // Section 8: a count below minReportN is shown as "fewer than", except zero, which tells nothing.
        const show = (n: number) =>
          n > 0 && n < minReportN ? t('analytics.fewerThan', { n: minReportN }) : String(n);
        return {
          name: gName(g.code),
          straightLining: show(q.straightLining),
          speeder: show(q.speeder),
        };
      }),
      straightLining: x.quality.straightLining,
      speeder: x.quality.speeder,
    },
  };
}
