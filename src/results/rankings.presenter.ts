import type { Assessment } from '../assessments/model/assessment.types';
import { groupName } from '../assessments/model/lookups';
import {
  resolveSettings,
  suppressSmallGroups,
  type Axis,
  type Classification,
  type TopicResult,
} from '../scoring';
import { localized, type Lang } from '../shared/i18n';
import type { RankingAnalytics } from './rankings-analytics';
import type { Results } from './results.service';

/** The rankings table as plain rows for the view (pure: no express, no database). */

export const SORT_KEYS = [
  'rank',
  'code',
  'name',
  'category',
  'impact',
  'financial',
  'impactN',
  'financialN',
  'classification',
  'borderline',
  'priority',
  'pMaterial',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * The columns of the rankings table, left to right. Each sorts by `key`; `sub` is a second sort
 * offered in the same heading for the figure printed on the cell's secondary line (the topic code
 * under the name, n under a score), so the table stays narrow enough for a laptop. A feature that
 * adds a column (rank change, P(material)) adds an entry here and a cell in the template.
 */
export interface RankingColumn {
  key: SortKey;
  sub?: SortKey;
  numeric: boolean;
}
export const RANKING_COLUMNS: readonly RankingColumn[] = [
  { key: 'rank', numeric: true },
  { key: 'name', sub: 'code', numeric: false },
  { key: 'category', numeric: false },
  { key: 'impact', sub: 'impactN', numeric: true },
  { key: 'financial', sub: 'financialN', numeric: true },
  { key: 'classification', numeric: false },
  { key: 'borderline', numeric: false },
  { key: 'priority', numeric: true },
  // The analytics' P(material), with the rank range under other weights as its secondary line.
  { key: 'pMaterial', numeric: true },
];
export type SortDir = 'asc' | 'desc';

// Figures read best from the largest down; names and rank from the top.
const FIRST_DIR: Record<SortKey, SortDir> = {
  rank: 'asc',
  code: 'asc',
  name: 'asc',
  category: 'asc',
  classification: 'asc',
  impact: 'desc',
  financial: 'desc',
  impactN: 'desc',
  financialN: 'desc',
  borderline: 'desc',
  priority: 'desc',
  pMaterial: 'desc',
};
const CLASS_ORDER: Record<Classification, number> = { double: 0, impact: 1, financial: 2, none: 3 };

export interface BreakdownRow {
  code: string;
  name: string;
  suppressed: boolean;
  mean: number | null;
  sd: number | null;
  n: number | null;
  dontKnow: number | null;
}

export interface RankingRow {
  rank: number;
  /** previous rank − rank (positive = moved up); null when new or without a previous assessment */
  rankChange: number | null;
  /** a topic that is new since the previous assessment */
  isNew: boolean;
  code: string;
  name: string;
  nameMissing: boolean;
  category: 'E' | 'S' | 'G';
  impact: number | null;
  financial: number | null;
  impactN: number;
  financialN: number;
  classification: Classification;
  material: boolean;
  computedMaterial: boolean;
  overridden: boolean;
  borderline: boolean;
  priority: number;
  breakdown: Record<Axis, BreakdownRow[]>;
  /** bootstrap P(material), null when the analytics are not computed for the current data */
  pMaterial: number | null;
  uncertain: boolean;
  /** 5th–95th percentile of the rank under the weight draws */
  rankRange90: [number, number] | null;
}

export interface Sort {
  key: SortKey;
  dir: SortDir;
}

export function parseSort(query: { sort?: unknown; dir?: unknown }): Sort {
  const key = (SORT_KEYS as readonly string[]).includes(String(query.sort))
    ? (query.sort as SortKey)
    : 'rank';
  const dir = query.dir === 'asc' || query.dir === 'desc' ? query.dir : FIRST_DIR[key];
  return { key, dir };
}

/** Where a column heading links: the other direction when it is the active column, else its natural one. */
export function sortHref(base: string, key: SortKey, current: Sort, extra = ''): string {
  const dir = current.key === key ? (current.dir === 'asc' ? 'desc' : 'asc') : FIRST_DIR[key];
  return `${base}?sort=${key}&dir=${dir}${extra}`;
}

/** The "uncertain only" filter: a GET parameter, so it works without JavaScript. */
export const parseUncertainOnly = (query: { uncertain?: unknown }) => query.uncertain === '1';

export function ariaSort(key: SortKey, current: Sort): 'ascending' | 'descending' | undefined {
  return current.key === key ? (current.dir === 'asc' ? 'ascending' : 'descending') : undefined;
}

export function rankingRows(
  results: Pick<Results, 'topics' | 'settings'>,
  assessment: Pick<Assessment, 'groups'>,
  lang: Lang,
  analytics: RankingAnalytics | null = null,
): RankingRow[] {
  const { minReportN } = resolveSettings(results.settings);
  const breakdown = (topic: TopicResult, axis: Axis): BreakdownRow[] =>
    Object.entries(suppressSmallGroups(topic[axis], minReportN).byGroup).map(([code, f]) => ({
      code,
      name: groupName(assessment, code, lang),
      ...f,
    }));
  return results.topics.map((t) => {
    const name = localized(t.name, lang);
    const u = analytics?.get(t.code);
    return {
      rank: t.rank,
      code: t.code,
      name: name.text || t.code,
      nameMissing: name.missing,
      category: t.category,
      impact: t.impact.score,
      financial: t.financial.score,
      impactN: t.impact.n,
      financialN: t.financial.n,
      classification: t.classification,
      material: t.material,
      computedMaterial: t.computedMaterial,
      overridden: t.override !== null,
      borderline: t.borderline,
      priority: t.priority,
      breakdown: { impact: breakdown(t, 'impact'), financial: breakdown(t, 'financial') },
      // Year over year (set when the assessment has a previous one): places moved up, or new.
      rankChange: t.rankChange ?? null,
      isNew: t.previous === null,
      pMaterial: u?.pMaterial ?? null,
      uncertain: u?.uncertain ?? false,
      rankRange90: u?.rankRange90 ?? null,
    };
  });
}

/** Topics of the previous assessment that no longer exist, by their previous rank. */
export function droppedRows(results: Pick<Results, 'droppedTopics'>, lang: Lang) {
  return (results.droppedTopics ?? []).map((d) => ({
    code: d.code,
    name: localized(d.name, lang).text || d.code,
    rank: d.rank,
  }));
}

/** The value a column sorts by; also written into the cells for the client-side sort. */
export function sortValue(row: RankingRow, key: SortKey): number | string | null {
  switch (key) {
    case 'classification':
      return CLASS_ORDER[row.classification];
    case 'borderline':
      return row.borderline ? 1 : 0;
    default:
      return row[key];
  }
}

/** A stable sort; empty scores go last in either direction, ties keep rank order. */
export function sortRows(rows: RankingRow[], sort: Sort, lang: Lang = 'en'): RankingRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null || vb === null) return va === vb ? a.rank - b.rank : va === null ? 1 : -1;
    const c =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb), lang);
    return c !== 0 ? sign * c : a.rank - b.rank;
  });
}

/** A score as the pages print it: two decimals, or null for "no score" (the view shows a dash). */
export const fmt2 = (v: number | null | undefined) =>
  v === null || v === undefined ? null : v.toFixed(2);

/** A breakdown row with its figures as the page prints them. */
export interface BreakdownView extends BreakdownRow {
  meanText: string | null;
  sdText: string | null;
}

export const breakdownView = (rows: BreakdownRow[]): BreakdownView[] =>
  rows.map((g) => ({ ...g, meanText: fmt2(g.mean), sdText: fmt2(g.sd) }));
