import { ownValue } from '../scoring';
import type { CsvValue } from '../shared/csv';
import { localized, type Lang } from '../shared/i18n';
import type { Assessment } from '../assessments/model/assessment.types';
import type { StatsDoc } from '../results/tallies/group-stats.model';
import type { LinkView } from './link.service';

// Pure functions from links and counters to what the invitations page shows.

export const percent = (lang: Lang, x: number | null) =>
  x === null
    ? null
    : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(x);

/**
 * Invited / opened / submitted per group. The rate is submitted ÷ invited for personal links; where the
 * group also has open links (no invitation count exists) it is all responses ÷ target.
 */
export function trackingRows(
  a: Assessment,
  stats: StatsDoc,
  groupsWithOpenLinks: ReadonlySet<string>,
  lang: Lang,
) {
  return a.groups.map((g) => {
    const l = ownValue(stats.links, g.code) ?? {};
    const invited = l.invited ?? 0;
    const responses = ownValue(stats.responses.byGroup, g.code) ?? 0;
    const byInvited = invited > 0 && !groupsWithOpenLinks.has(g.code);
    const rate = byInvited
      ? (l.submitted ?? 0) / invited
      : g.targetResponses
        ? responses / g.targetResponses
        : null;
    return {
      code: g.code,
      name: localized(g.name, lang).text,
      invited,
      opened: l.opened ?? 0,
      submitted: responses,
      rate: percent(lang, rate),
      rateBasis: rate === null ? null : byInvited ? 'invited' : 'target',
      target: g.targetResponses,
      progress: g.targetResponses ? percent(lang, responses / g.targetResponses) : null,
    };
  });
}

export const LINKS_PER_PAGE = 500;

/** One page of a group's links, with the pager's numbers (pages count from 1). */
export function linkRows(
  links: LinkView[],
  total: number,
  page: number,
  href: (page: number) => string,
) {
  const pages = Math.max(1, Math.ceil(total / LINKS_PER_PAGE));
  const from = total === 0 ? 0 : (page - 1) * LINKS_PER_PAGE + 1;
  return {
    total,
    rows: links.map((l) => ({
      token: l.token,
      url: l.url,
      kind: l.kind,
      name: l.name ?? '',
      email: l.email ?? '',
      language: l.language ?? '',
      optedOut: l.optedOut,
      label: l.label ?? '',
      opens: l.opens,
      revoked: l.revoked,
    })),
    pager:
      pages > 1
        ? {
            from,
            to: from + links.length - 1,
            total,
            prev: page > 1 ? href(page - 1) : null,
            next: page < pages ? href(page + 1) : null,
          }
        : null,
  };
}

/** The CSV download of links: stable English column names (a data interchange file). */
export const LINK_CSV_HEADER = [
  'group',
  'kind',
  'name',
  'email',
  'label',
  'url',
  'opens',
  'revoked',
  'created_at',
];
export function linkCsvRow(l: LinkView): CsvValue[] {
  return [
    l.group,
    l.kind,
    l.name ?? '',
    l.email ?? '',
    l.label ?? '',
    l.url,
    l.opens,
    l.revoked ? 'yes' : 'no',
    l.createdAt.toISOString(),
  ];
}
