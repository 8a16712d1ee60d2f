import type { Writable } from 'node:stream';
import QRCode from 'qrcode';
import type { SessionUser } from '../auth/roles';
import { getAssessment } from '../assessments/services/assessment.service';
import { streamCsv } from '../shared/csv';
import { head } from '../assessments/pages/page.presenter';
import { localized, type Lang } from '../shared/i18n';
import { getStats } from '../results/tallies/tally.service';
import {
  LINK_CSV_HEADER,
  linkCsvRow,
  linkRows,
  LINKS_PER_PAGE,
  trackingRows,
} from './invitation.presenter';
import { groupsWithOpenLinks, pageLinks, streamLinks } from './link.service';

type User = SessionUser | undefined;

const pageNumber = (v: unknown) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
};

/** The invitations page: tracking per group, and one page of the chosen group's links. */
export async function invitationsPage(
  user: User,
  id: string,
  query: { group?: unknown; page?: unknown },
  lang: Lang,
  publicUrl: string,
) {
  const a = await getAssessment(user, id);
  const selected = a.groups.find((g) => g.code === query.group)?.code ?? a.groups[0]?.code ?? '';
  const page = pageNumber(query.page);
  const [stats, openGroups, links] = await Promise.all([
    getStats(
      a._id,
      a.groups.map((g) => g.code),
    ),
    groupsWithOpenLinks(a._id),
    selected
      ? pageLinks(
          user,
          a._id,
          selected,
          { skip: (page - 1) * LINKS_PER_PAGE, limit: LINKS_PER_PAGE },
          publicUrl,
        )
      : { links: [], total: 0 },
  ]);
  const href = (p: number) =>
    `/assessments/${encodeURIComponent(a._id)}/invitations?group=${encodeURIComponent(selected)}&page=${p}#links`;
  return {
    assessment: head(a, user),
    groups: a.groups.map((g) => ({ code: g.code, name: localized(g.name, lang).text })),
    selected,
    tracking: trackingRows(a, stats, openGroups, lang),
    links: linkRows(links.links, links.total, page, href),
    qr: await qrCodes(links.links.filter((l) => l.kind === 'open' && !l.revoked).map((l) => l.url)),
  };
}

/**
 * QR codes of open links (to print on a poster or a slide), rendered here as SVG: no script and no
 * request to anyone else. A group has a handful of open links at most.
 */
async function qrCodes(urls: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const url of urls)
    out[url] = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return out;
}

/** The file name of the links CSV: one group's, or every group's. */
export function linksCsvName(group: unknown): string {
  const g = typeof group === 'string' && group ? group : undefined;
  return `invitations${g ? `-${g.replace(/[^A-Za-z0-9_-]/g, '')}` : ''}.csv`;
}

/**
 * Streams the links CSV (UTF-8 with BOM, RFC 4180, formula-safe) from a cursor, so an assessment
 * with 100,000 invitations is never held in memory.
 */
export async function writeLinksCsv(
  user: User,
  id: string,
  group: unknown,
  publicUrl: string,
  out: Writable,
  begin: () => void,
): Promise<void> {
  const g = typeof group === 'string' && group ? group : undefined;
  const links = streamLinks(user, id, g, publicUrl);
  const first = await links.next(); // the role and the assessment are checked before anything is written
  begin();
  async function* rows() {
    yield LINK_CSV_HEADER;
    if (!first.done) yield linkCsvRow(first.value);
    for await (const l of links) yield linkCsvRow(l);
  }
  await streamCsv(out, rows());
}
