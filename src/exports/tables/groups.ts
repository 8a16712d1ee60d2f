import { groupName } from '../../assessments/model/lookups';
import { ownValue } from '../../scoring';
import { num, table, type TableContext } from './context';
import { smallGroups } from './small-groups';
import type { Cell, Table } from './types';

/**
 * Stakeholder groups with the weight used and their number of responses; a count below minReportN
 * (and the partner count that would reveal it, see SmallGroups) reads "fewer than N" / "withheld".
 * Records keyed by group codes are read by own key only: a code may be `constructor`.
 */
export function groupsTable(c: TableContext): Table {
  const { t } = c;
  const small = smallGroups(c);
  const fewer = t('exports.values.fewerThan', { n: c.settings.minReportN });
  const withheld = t('exports.values.withheld');
  const count = (code: string): Cell =>
    small.fewer.has(code)
      ? fewer
      : small.withheld.has(code)
        ? withheld
        : (ownValue(c.r.responses.byGroup, code) ?? 0);
  const rows = c.a.groups.map((g): Cell[] => [
    g.code,
    groupName(c.a, g.code, c.lang),
    t(`exports.values.kind.${g.kind}`),
    num(ownValue(c.r.settings.weights, g.code) ?? g.weight),
    g.instruments.map((i) => t(`exports.values.axis.${i}`)).join(', '),
    num(g.targetResponses),
    count(g.code),
  ]);
  return table(
    t('exports.sheets.groups'),
    [
      [t('exports.cols.code'), 'text'],
      [t('exports.cols.name'), 'text'],
      [t('exports.cols.kind'), 'text'],
      [t('exports.cols.weight'), 'decimal'],
      [t('exports.cols.instruments'), 'text'],
      [t('exports.cols.target'), 'int'],
      [t('exports.cols.responsesN'), 'int'],
    ],
    rows,
  );
}
