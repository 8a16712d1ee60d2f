import type { TFunction } from 'i18next';
import type { Lang } from '../shared/i18n';
import { formatInZone } from '../shared/time';
import { groupName } from '../assessments/model/lookups';
import {
  ariaSort,
  breakdownView,
  fmt2,
  parseSort,
  parseUncertainOnly,
  RANKING_COLUMNS,
  rankingRows,
  SORT_KEYS,
  sortHref,
  sortRows,
  sortValue,
} from './rankings.presenter';
import type { RankingAnalytics } from './rankings-analytics';
import type { ResultsView } from './results-view.service';
import { droppedRows } from './rankings.presenter';

/** View models of the matrix and rankings pages: the templates get these, never documents. */

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

/** A time as the pages print it: in the assessment's time zone (the server's by default), named. */
const stamp = (iso: string | null, timeZone: string | undefined) => {
  if (!iso) return null;
  const f = formatInZone(iso, timeZone);
  return { iso, text: `${f.text} ${f.zone}` };
};

export function header(view: ResultsView, lang: Lang) {
  const { assessment: a, results: r } = view;
  return {
    assessment: { id: String(a._id), name: a.name, reportingYear: a.reportingYear },
    computedAt: stamp(r.computedAt, a.settings.timeZone),
    dataUpdatedAt: stamp(r.dataUpdatedAt, a.settings.timeZone),
    method: r.method,
    responses: r.responses.total,
    // One line under the figures says which scoring settings apply and links to the Settings tab.
    scoring: {
      impact: r.settings.thresholds.impact,
      financial: r.settings.thresholds.financial,
      rule: r.settings.rule,
      rankingMethod: r.settings.rankingMethod,
    },
    groupName: (code: string) => groupName(a, code, lang),
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
  /** the cached analytics' figures per topic; null = not computed for the current data */
  analytics?: RankingAnalytics | null;
}

/** A share as the pages print it: two decimals (P(material) 0.45). */
const fmtP = (v: number | null) => (v === null ? null : v.toFixed(2));

export function rankingsPage(view: ResultsView, ctx: RankingsContext) {
  const { t, lang } = ctx;
  const h = header(view, lang);
  const sort = parseSort(ctx.query);
  const base = `/assessments/${h.assessment.id}/rankings`;
  const analytics = ctx.analytics ?? null;
  const uncertainOnly = parseUncertainOnly(ctx.query);
  const filter = uncertainOnly ? '&uncertain=1' : '';
  const all = sortRows(rankingRows(view.results, view.assessment, lang, analytics), sort, lang);
  // Without cached analytics nothing is known to be uncertain: the filter then shows no topic and
  // the page says why (the "not computed yet" notice) rather than silently listing everything.
  const rows = uncertainOnly ? all.filter((r) => r.uncertain) : all;
  const s = view.results.settings;
  return {
    ...h,
    title: `${t('results.rankings.title')} · ${h.assessment.name}`,
    tab: 'rankings',
    wide: true,
    sort,
    sortedBy: t('results.rankings.sortedBy', {
      column: t(`results.rankings.col.${sort.key}`),
      direction: t(`results.rankings.${sort.dir === 'asc' ? 'ascending' : 'descending'}`),
    }),
    columns: RANKING_COLUMNS.map((c) => ({
      key: c.key,
      label: t(`results.rankings.col.${c.key}`),
      href: sortHref(base, c.key, sort, filter),
      // The heading is the active sort when either of its two sorts is.
      ariaSort: ariaSort(c.key, sort) ?? (c.sub ? ariaSort(c.sub, sort) : undefined),
      numeric: c.numeric,
      sub: c.sub
        ? {
            key: c.sub,
            column: t(`results.rankings.col.${c.sub}`),
            label: t(c.sub === 'code' ? 'results.rankings.sortByCode' : 'results.rankings.sortByN'),
            title:
              c.sub === 'code'
                ? t('results.rankings.sortByCodeLabel')
                : t('results.rankings.sortByNLabel', { axis: t(`results.axis.${c.key}`) }),
            href: sortHref(base, c.sub, sort, filter),
            active: ariaSort(c.sub, sort),
          }
        : null,
    })),
    breakdownOpen: typeof ctx.query.groups === 'string' ? ctx.query.groups : null,
    // Year over year: the previous assessment's topics that no longer exist.
    dropped: droppedRows(view.results, lang),
    previousYear: view.results.previous?.reportingYear ?? null,
    sortQuery: `sort=${sort.key}&dir=${sort.dir}${filter}`,
    // P(material) and rank ranges (issue 18): from the Analytics tab's cache, never computed here.
    analytics: {
      computed: analytics !== null,
      href: `/assessments/${h.assessment.id}/analytics`,
      uncertainOnly,
      total: all.length,
      uncertainCount: all.filter((r) => r.uncertain).length,
      sort: { key: sort.key, dir: sort.dir },
    },
    rows: rows.map((r) => ({
      ...r,
      impactText: fmt2(r.impact),
      financialText: fmt2(r.financial),
      priorityText: fmt2(r.priority),
      pMaterialText: fmtP(r.pMaterial),
      breakdown: {
        impact: breakdownView(r.breakdown.impact),
        financial: breakdownView(r.breakdown.financial),
      },
      sortValues: Object.fromEntries(SORT_KEYS.map((k) => [k, sortValue(r, k)])),
    })),
    minReportN: s.minReportN,
    // The scoring settings are on the Settings tab; a save through the older rankings form still
    // comes back here with its notice or its errors.
    saved: ctx.saved,
    errors: ctx.errors,
  };
}
