import { groupName } from '../../assessments/model/lookups';
import { ownValue } from '../../scoring';
import { num, table, type TableContext } from './context';
import type { Cell, Table } from './types';

/**
 * Stakeholder groups with the weight used and their number of responses. Records keyed by group
 * codes are read by own key only: a code may be `constructor`.
 */
export function groupsTable(c: TableContext): Table {
  const { t } = c;
  const rows = c.a.groups.map((g): Cell[] => [
    g.code,
    groupName(c.a, g.code, c.lang),
    t(`exports.values.kind.${g.kind}`),
    num(ownValue(c.r.settings.weights, g.code) ?? g.weight),
    g.instruments.map((i) => t(`exports.values.axis.${i}`)).join(', '),
    num(g.targetResponses),
    ownValue(c.r.responses.byGroup, g.code) ?? 0,
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
