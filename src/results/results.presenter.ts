import type { TFunction } from 'i18next';
import type { Lang } from '../shared/i18n';
import { groupName } from '../assessments/model/lookups';
import { formatScore } from './matrix-chart';
import {
  ariaSort,
  breakdownView,
  fmt2,
  parseSort,
  rankingRows,
  SORT_KEYS,
  sortHref,
  sortRows,
  sortValue,
} from './rankings.presenter';
import type { MatrixQuery, MatrixView, ResultsView } from './results-view.service';
import { settingsFormValues } from './settings-form';

/** View models of the matrix and rankings pages: the templates get these, never documents. */

// Kept off /assessments/:id/settings, which the assessment overview's own settings form posts to.
export const settingsPath = (id: string) => `/assessments/${id}/rankings/settings`;

/**
 * JSON for a `<script type="application/json">` block: `<` escaped so no `</script>` or `<!--` can
 * end or alter the block; U+2028/2029 escaped for old parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const stamp = (iso: string | null) =>
  iso ? { iso, text: `${iso.slice(0, 16).replace('T', ' ')} UTC` } : null;

function header(view: ResultsView, lang: Lang) {
  const { assessment: a, results: r } = view;
  return {
    assessment: { id: String(a._id), name: a.name, reportingYear: a.reportingYear },
    computedAt: stamp(r.computedAt),
    dataUpdatedAt: stamp(r.dataUpdatedAt),
    method: r.method,
    responses: r.responses.total,
    groupName: (code: string) => groupName(a, code, lang),
  };
}

export function matrixPage(
  view: MatrixView,
  q: MatrixQuery,
  t: TFunction,
  extra: { echartsUrl: string },
) {
  const h = header(view, q.lang);
  const params = new URLSearchParams({ lang: q.lang });
  if (q.group) params.set('group', q.group);
  if (!q.labels) params.set('labels', '0');
  const base = `/assessments/${h.assessment.id}`;
  const { chart } = view;
  return {
    ...h,
    title: `${t('results.matrix.title')} · ${h.assessment.name}`,
    tab: 'matrix',
    groups: view.assessment.groups.map((g) => ({
      code: g.code,
      name: h.groupName(g.code),
      selected: g.code === q.group,
    })),
    group: q.group ?? null,
    subtitle: q.group
      ? t('results.matrix.oneGroup', { group: h.groupName(q.group) })
      : t('results.matrix.allGroups'),
    labels: q.labels,
    svgHref: `${base}/matrix.svg?${params.toString()}`,
    pngHref: `${base}/matrix.png?${params.toString()}`,
    specJson: scriptJson(chart.option),
    stringsJson: scriptJson({
      code: t('results.matrix.tooltipCode'),
      impact: t('results.matrix.impactScore'),
      financial: t('results.matrix.financialScore'),
      classification: t('results.matrix.tooltipClassification'),
      noScore: t('results.noScore'),
      fewerThan: t('results.fewerThan', { n: chart.minReportN }),
    }),
    svg: view.svg,
    chartLabel: t('results.matrix.chartLabel', {
      count: chart.plotted,
      impact: formatScore(chart.thresholds.impact),
      financial: formatScore(chart.thresholds.financial),
    }),
    omitted: chart.omitted,
    hasZeroPlotted: chart.rows.some((r) => (r.impact === null) !== (r.financial === null)),
    suppressedNote: q.group ? t('results.matrix.suppressedNote', { n: chart.minReportN }) : null,
    // A hidden axis (n null) says so; an axis without any score shows a dash.
    rows: chart.rows.map((r) => ({
      ...r,
      impactText:
        r.impactN === null ? t('results.fewerThan', { n: chart.minReportN }) : fmt2(r.impact),
      financialText:
        r.financialN === null ? t('results.fewerThan', { n: chart.minReportN }) : fmt2(r.financial),
    })),
    echartsUrl: extra.echartsUrl,
  };
}

export interface RankingsContext {
  lang: Lang;
  t: TFunction;
  query: Record<string, unknown>;
  canWrite: boolean;
  saved: boolean;
  errors: Record<string, string>;
  posted?: Record<string, unknown>;
}

export function rankingsPage(view: ResultsView, ctx: RankingsContext) {
  const { t, lang } = ctx;
  const h = header(view, lang);
  const sort = parseSort(ctx.query);
  const base = `/assessments/${h.assessment.id}/rankings`;
  const rows = sortRows(rankingRows(view.results, view.assessment, lang), sort, lang);
  const s = view.results.settings;
  return {
    ...h,
    title: `${t('results.rankings.title')} · ${h.assessment.name}`,
    tab: 'rankings',
    sort,
    sortedBy: t('results.rankings.sortedBy', {
      column: t(`results.rankings.col.${sort.key}`),
      direction: t(`results.rankings.${sort.dir === 'asc' ? 'ascending' : 'descending'}`),
    }),
    columns: SORT_KEYS.map((key) => ({
      key,
      label: t(`results.rankings.col.${key}`),
      href: sortHref(base, key, sort),
      ariaSort: ariaSort(key, sort),
      numeric: !['code', 'name', 'category', 'classification', 'borderline'].includes(key),
    })),
    rows: rows.map((r) => ({
      ...r,
      impactText: fmt2(r.impact),
      financialText: fmt2(r.financial),
      priorityText: fmt2(r.priority),
      breakdown: {
        impact: breakdownView(r.breakdown.impact),
        financial: breakdownView(r.breakdown.financial),
      },
      sortValues: Object.fromEntries(SORT_KEYS.map((k) => [k, sortValue(r, k)])),
    })),
    minReportN: s.minReportN,
    settingsAction: settingsPath(h.assessment.id),
    canWrite: ctx.canWrite,
    saved: ctx.saved,
    errors: ctx.errors,
    values: settingsFormValues(s, ctx.posted),
    settings: s,
    weightGroups: view.assessment.groups.map((g) => ({
      code: g.code,
      name: h.groupName(g.code),
      weight: g.weight,
    })),
  };
}
