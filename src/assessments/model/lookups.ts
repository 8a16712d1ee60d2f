import { localized, type Lang } from '../../shared/i18n';
import type { Assessment, Status } from './assessment.types';

/**
 * The status changes people make on the overview page: the one table the service enforces and the
 * page offers. Approval (closed → approved) comes with sign-off.
 */
export const STATUS_TRANSITIONS: Readonly<Record<Status, readonly ('open' | 'closed')[]>> = {
  draft: ['open'],
  open: ['closed'],
  closed: ['open'],
  approved: [],
};

/** Whether `to` (e.g. from a query string) is a change people may make from `from`. */
export const canTransition = (from: Status, to: string): to is 'open' | 'closed' =>
  (STATUS_TRANSITIONS[from] as readonly string[]).includes(to);

/** A group's name in `lang` (falling back as `localized` does), or its code when it has none. */
export function groupName(a: Pick<Assessment, 'groups'>, code: string, lang: Lang): string {
  const g = a.groups.find((x) => x.code === code);
  return (g && localized(g.name, lang).text) || code;
}

/**
 * The stamp every page and export of an assessment carries: "Provisional — not signed off" or
 * "Signed off on <meeting date> by <body>". `t` is a translator of the page's or file's language.
 */
export function stampOf(
  a: Pick<Assessment, 'status' | 'signOff'>,
  t: (key: string, vars?: Record<string, string>) => string,
): { signed: boolean; text: string } {
  const s = a.status === 'approved' ? a.signOff : null;
  return s
    ? { signed: true, text: t('review.stamp.signed', { date: s.meetingDate, body: s.body }) }
    : { signed: false, text: t('review.stamp.provisional') };
}
