import type { Assessment } from '../assessments/model/assessment.types';
import type { Classification, TopicResult } from '../scoring';
import { localized, translator, type Lang } from '../shared/i18n';

export type Axis = 'impact' | 'financial';
export const AXES: readonly Axis[] = ['impact', 'financial'];

/**
 * Where one axis score of a topic stands in the view shown:
 * - `ok`: plotted;
 * - `low`: plotted, but it rests on fewer than `minReportN` responses (hollow marker, footnote);
 * - `notAsked`: no group in the view answers that questionnaire;
 * - `noResponses`: asked, nobody answered it;
 * - `fewer`: one group's figure from fewer than `minReportN` responses, hidden (methodology §8).
 */
export type AxisStanding = 'ok' | 'low' | 'notAsked' | 'noResponses' | 'fewer';

type TopicAxes = Pick<TopicResult, 'impact' | 'financial'>;

/**
 * Which axis scores of a topic rest on fewer than `minReportN` responses in total. For STAFF PAGES
 * and EXPORTS (rankings, workbook): flag a score as "from fewer than N responses" when true.
 */
export function lowResponseAxes(topic: TopicAxes, minReportN: number): Record<Axis, boolean> {
  const low = (axis: Axis) => {
    const n = topic[axis].n;
    return topic[axis].score !== null && n > 0 && n < minReportN;
  };
  return { impact: low('impact'), financial: low('financial') };
}

export function axisStanding(
  topic: TopicAxes,
  axis: Axis,
  ctx: { asked: Record<Axis, boolean>; minReportN: number; oneGroup: boolean },
): AxisStanding {
  const a = topic[axis];
  if (!ctx.asked[axis]) return 'notAsked';
  if (a.n === 0 || a.score === null) return 'noResponses';
  if (a.n < ctx.minReportN) return ctx.oneGroup ? 'fewer' : 'low';
  return 'ok';
}

/** The axes some group of the view answers (all groups, or the one group chosen). */
export function askedAxes(
  groups: Assessment['groups'],
  group: string | null,
): Record<Axis, boolean> {
  const inView = groups.filter((g) => !group || g.code === group);
  const asks = (axis: Axis) => inView.some((g) => g.instruments.includes(axis));
  return { impact: asks('impact'), financial: asks('financial') };
}

/** One topic as the matrix reports it; its tooltip and the data table under the chart show these. */
export interface MatrixRow {
  name: string;
  code: string;
  category: 'E' | 'S' | 'G';
  rank: number;
  /** null: not plotted on that axis (see `standing`) */
  impact: number | null;
  financial: number | null;
  impactN: number | null;
  financialN: number | null;
  standing: Record<Axis, AxisStanding>;
  /** a hidden one-group figure (`fewer`) on either axis */
  suppressed: boolean;
  /** an axis rests on fewer than minReportN responses (hollow marker) */
  lowN: boolean;
  classification: Classification | null;
  classificationLabel: string;
  /** a staff override sets its materiality */
  overridden: boolean;
  previous: { impact: number; financial: number } | null;
}

type RowTopic = TopicResult & {
  previous?: { impactScore?: number | null; financialScore?: number | null } | null;
};

/**
 * Topics as the matrix reports them. A missing or hidden axis is null, never 0; a hidden figure's
 * classification, which would give it away, is not shown either.
 */
export function matrixRows(
  results: { topics: RowTopic[]; group?: string | null },
  groups: Assessment['groups'],
  lang: Lang,
  minReportN: number,
): MatrixRow[] {
  const t = translator(lang);
  const group = results.group ?? null;
  const ctx = { asked: askedAxes(groups, group), minReportN, oneGroup: Boolean(group) };
  return results.topics.map((topic) => {
    const standing = {
      impact: axisStanding(topic, 'impact', ctx),
      financial: axisStanding(topic, 'financial', ctx),
    };
    const shown = (axis: Axis) => standing[axis] === 'ok' || standing[axis] === 'low';
    const suppressed = standing.impact === 'fewer' || standing.financial === 'fewer';
    const prev = topic.previous;
    return {
      name: localized(topic.name, lang).text || topic.code,
      code: topic.code,
      category: topic.category,
      rank: topic.rank,
      impact: shown('impact') ? topic.impact.score : null,
      financial: shown('financial') ? topic.financial.score : null,
      impactN: standing.impact === 'fewer' ? null : topic.impact.n,
      financialN: standing.financial === 'fewer' ? null : topic.financial.n,
      standing,
      suppressed,
      lowN: standing.impact === 'low' || standing.financial === 'low',
      classification: suppressed ? null : topic.classification,
      classificationLabel: suppressed
        ? t('results.fewerThan', { n: minReportN })
        : t(`results.classification.${topic.classification}`),
      overridden: Boolean(topic.override),
      previous:
        prev && typeof prev.impactScore === 'number' && typeof prev.financialScore === 'number'
          ? { impact: prev.impactScore, financial: prev.financialScore }
          : null,
    };
  });
}
