import { num, table, topicName, type TableContext } from './context';
import type { Cell, Table } from './types';

/** Matrix: the two coordinates of every topic, as plotted. */
export function matrixTable(c: TableContext): Table {
  const { t } = c;
  const rows = c.r.topics.map((tr): Cell[] => [
    tr.code,
    topicName(c, tr.code, tr.name),
    tr.category,
    num(tr.impact.score),
    num(tr.financial.score),
    t(`exports.values.classification.${tr.classification}`),
  ]);
  return table(
    t('exports.sheets.matrix'),
    [
      [t('exports.cols.code'), 'text'],
      [t('exports.cols.name'), 'text'],
      [t('exports.cols.category'), 'text'],
      [t('exports.cols.impact'), 'decimal'],
      [t('exports.cols.financial'), 'decimal'],
      [t('exports.cols.classification'), 'text'],
    ],
    rows,
  );
}
