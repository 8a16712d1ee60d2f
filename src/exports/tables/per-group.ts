import { groupName } from '../../assessments/model/lookups';
import { AXES, ownValue, suppressSmallGroups } from '../../scoring';
import { num, table, topicName, type TableContext } from './context';
import type { Cell, Table } from './types';

/** Section 8: figures of a group with n < minReportN are replaced by "fewer than N" and empty numbers. */
export function perGroupTable(c: TableContext): Table {
  const { t } = c;
  const minReportN = c.settings.minReportN;
  const fewer = t('exports.values.fewerThan', { n: minReportN });
  const rows: Cell[][] = [];
  for (const tr of c.r.topics) {
    for (const axis of AXES) {
      const reported = suppressSmallGroups(tr[axis], minReportN);
      for (const code of orderedGroupCodes(c, Object.keys(reported.byGroup))) {
        const g = ownValue(reported.byGroup, code);
        if (!g) continue;
        rows.push([
          tr.code,
          topicName(c, tr.code, tr.name),
          t(`exports.values.axis.${axis}`),
          code,
          groupName(c.a, code, c.lang),
          g.suppressed ? null : num(g.mean),
          g.suppressed ? null : num(g.sd),
          g.suppressed ? fewer : num(g.n),
          g.suppressed ? null : num(g.dontKnow),
        ]);
      }
    }
  }
  return table(
    t('exports.sheets.perGroup'),
    [
      [t('exports.cols.topicCode'), 'text'],
      [t('exports.cols.topicName'), 'text'],
      [t('exports.cols.axis'), 'text'],
      [t('exports.cols.groupCode'), 'text'],
      [t('exports.cols.groupName'), 'text'],
      [t('exports.cols.mean'), 'decimal'],
      [t('exports.cols.sd'), 'decimal'],
      [t('exports.cols.n'), 'int'],
      [t('exports.cols.dontKnow'), 'int'],
    ],
    rows,
  );
}

/** The assessment's group order first, then any group no longer configured. */
function orderedGroupCodes(c: TableContext, codes: string[]): string[] {
  const order = new Map(c.a.groups.map((g, i) => [g.code, i]));
  return [...codes].sort(
    (x, y) => (order.get(x) ?? Infinity) - (order.get(y) ?? Infinity) || x.localeCompare(y),
  );
}
