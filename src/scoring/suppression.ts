import { dict } from './own-key';
import type { AxisResult } from './types';

/**
 * A per-group figure as pages and exports may show it. When `suppressed`, every figure is null and
 * the display says "fewer than {minReportN}" instead: showing n itself, or the don't-know count
 * beside the group's response total, would give away what the marker hides.
 */
export interface ReportedGroupFigure {
  suppressed: boolean;
  mean: number | null;
  n: number | null;
  sd: number | null;
  dontKnow: number | null;
}

export type ReportedAxisResult = Omit<AxisResult, 'byGroup'> & {
  byGroup: Record<string, ReportedGroupFigure>;
};

/**
 * Section 8: hide per-group figures of groups with n < minReportN, to protect respondents' anonymity.
 * For display only: the axis score and axis-level totals still use those groups (section 3).
 */
export function suppressSmallGroups(axis: AxisResult, minReportN: number): ReportedAxisResult {
  const byGroup = dict(
    Object.entries(axis.byGroup).map(([code, g]): [string, ReportedGroupFigure] => [
      code,
      g.n < minReportN
        ? { suppressed: true, mean: null, n: null, sd: null, dontKnow: null }
        : { suppressed: false, mean: g.mean, n: g.n, sd: g.sd, dontKnow: g.dontKnow },
    ]),
  );
  return { ...axis, byGroup };
}
