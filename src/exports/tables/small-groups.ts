import { ownValue } from '../../scoring';
import type { TableContext } from './context';

/**
 * Which groups' response counts and raw rows an export must not show on their own (methodology
 * section 8, applied to counts and rows as well as to scores). Groups are compared within the
 * questionnaires they take, since a row's filled columns show which questionnaires it answered:
 * - `fewer`: groups with 1 to minReportN − 1 responses;
 * - `withheld`: when exactly one group of a set of questionnaires is in `fewer`, the smallest other
 *   group with responses to the same set: otherwise a bucket of "small groups" would hold that one
 *   group only, which names it, and a total minus the other counts would give its count;
 * - `omitted`: such a lone small group when no group takes the same questionnaires: its rows are
 *   left out of the Responses sheet (the Method sheet says how many).
 */
export interface SmallGroups {
  fewer: Set<string>;
  withheld: Set<string>;
  /** the groups whose rows are labelled together as "groups with fewer than N responses" */
  bucket: Set<string>;
  omitted: Set<string>;
}

export function smallGroups(c: TableContext): SmallGroups {
  const min = c.settings.minReportN;
  const byGroup = c.r.responses.byGroup;
  const n = (code: string) => ownValue(byGroup, code) ?? 0;
  // The assessment's groups by the questionnaires they take (sorted, joined).
  const sets = new Map<string, string[]>();
  for (const g of c.a.groups) {
    const key = [...g.instruments].sort().join('+');
    sets.set(key, [...(sets.get(key) ?? []), g.code]);
  }
  const fewer = new Set<string>();
  const withheld = new Set<string>();
  const omitted = new Set<string>();
  for (const codes of sets.values()) {
    const small = codes.filter((g) => n(g) > 0 && n(g) < min);
    for (const g of small) fewer.add(g);
    if (small.length !== 1) continue;
    const partner = codes
      .filter((g) => n(g) >= min)
      .reduce<string | undefined>(
        (best, g) => (best === undefined || n(g) < n(best) ? g : best),
        undefined,
      );
    if (partner === undefined) omitted.add(small[0]!);
    else withheld.add(partner);
  }
  const bucket = new Set([...fewer, ...withheld].filter((g) => !omitted.has(g)));
  return { fewer, withheld, bucket, omitted };
}
