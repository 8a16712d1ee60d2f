import type { TFunction } from 'i18next';
import { formatScore } from './matrix-chart';
import type { Axis, MatrixRow } from './matrix-rows';
import { fmt2 } from './rankings.presenter';
import { header, scriptJson } from './results.presenter';
import type { MatrixQuery, MatrixView } from './results-view.service';

/** The matrix page's view model: the template gets this, never documents. */

/** The query string that reproduces the view (page links, downloads). */
export function matrixParams(q: MatrixQuery): URLSearchParams {
  const params = new URLSearchParams({ lang: q.lang });
  if (q.group) params.set('group', q.group);
  if (q.labels !== 'names') params.set('labels', q.labels);
  if (q.range === 'fit') params.set('range', 'fit');
  if (q.labelSize !== undefined && q.labelSize !== 12) params.set('labelSize', String(q.labelSize));
  if (q.arrows === false) params.set('arrows', '0');
  if (q.whiskers === false) params.set('whiskers', '0');
  return params;
}

/** A score cell: the score, or why there is none; a score from few responses says so. */
function scoreText(r: MatrixRow, axis: Axis, t: TFunction, n: number): string | null {
  const st = r.standing[axis];
  if (st === 'fewer') return t('results.fewerThan', { n });
  if (st === 'notAsked') return t('matrix.standing.notAsked');
  if (st === 'noResponses') return null;
  const v = fmt2(r[axis]);
  return st === 'low' ? `${v} (${t('matrix.standing.fewer', { n })})` : v;
}

export function matrixPage(
  view: MatrixView,
  q: MatrixQuery,
  t: TFunction,
  extra: { echartsUrl: string },
) {
  const h = header(view, q.lang);
  const params = matrixParams(q);
  const base = `/assessments/${h.assessment.id}`;
  const { chart } = view;
  const n = chart.minReportN;
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
    labelModes: (['names', 'numbered', 'none'] as const).map((m) => ({
      value: m,
      label: t(`matrix.mode${m[0]!.toUpperCase()}${m.slice(1)}`),
      selected: m === q.labels,
    })),
    range: q.range ?? 'full',
    labelSize: q.labelSize ?? 12,
    arrows: q.arrows !== false,
    whiskers: q.whiskers !== false,
    svgHref: `${base}/matrix.svg?${params.toString()}`,
    pngHref: `${base}/matrix.png?${params.toString()}`,
    specJson: scriptJson(chart.option),
    stringsJson: scriptJson({
      code: t('results.matrix.tooltipCode'),
      rank: t('matrix.rank'),
      impact: t('results.matrix.impactScore'),
      financial: t('results.matrix.financialScore'),
      classification: t('results.matrix.tooltipClassification'),
      noScore: t('results.noScore'),
      fewerThan: t('results.fewerThan', { n }),
      low: t('matrix.standing.fewer', { n }),
    }),
    svg: view.svg,
    chartWidth: chart.width,
    chartHeight: chart.height,
    chartLabel: t('results.matrix.chartLabel', {
      count: chart.plotted,
      impact: formatScore(chart.thresholds.impact),
      financial: formatScore(chart.thresholds.financial),
    }),
    omitted: chart.omitted,
    lowNote: chart.rows.some((r) => r.lowN) ? t('matrix.lowNote', { n }) : null,
    rows: chart.rows.map((r) => ({
      ...r,
      impactText: scoreText(r, 'impact', t, n),
      financialText: scoreText(r, 'financial', t, n),
      impactN: r.impactN === null ? t('results.fewerThan', { n }) : String(r.impactN),
      financialN: r.financialN === null ? t('results.fewerThan', { n }) : String(r.financialN),
    })),
    echartsUrl: extra.echartsUrl,
  };
}
