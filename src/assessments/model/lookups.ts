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
