import { num, table, topicName, yesNo, type TableContext } from './context';
import type { Cell, Table } from './types';

/** Rankings: one row per topic in rank order, with both scores, the classification and any override. */
export function rankingsTable(c: TableContext): Table {
  const { t } = c;
  const rows = c.r.topics.map((tr): Cell[] => [
    tr.rank,
    tr.code,
    topicName(c, tr.code, tr.name),
    tr.category,
    num(tr.impact.score),
    num(tr.financial.score),
    tr.impact.n,
    tr.financial.n,
    t(`exports.values.classification.${tr.classification}`),
    yesNo(t, tr.material),
    yesNo(t, tr.computedMaterial),
    yesNo(t, tr.borderline),
    num(tr.priority),
    tr.override?.rationale ?? null,
  ]);
  return table(
    t('exports.sheets.rankings'),
    [
      [t('exports.cols.rank'), 'int'],
      [t('exports.cols.code'), 'text'],
      [t('exports.cols.name'), 'text'],
      [t('exports.cols.category'), 'text'],
      [t('exports.cols.impactScore'), 'decimal'],
      [t('exports.cols.financialScore'), 'decimal'],
      [t('exports.cols.nImpact'), 'int'],
      [t('exports.cols.nFinancial'), 'int'],
      [t('exports.cols.classification'), 'text'],
      [t('exports.cols.material'), 'text'],
      [t('exports.cols.computedMaterial'), 'text'],
      [t('exports.cols.borderline'), 'text'],
      [t('exports.cols.priority'), 'decimal'],
      [t('exports.cols.overrideRationale'), 'text'],
    ],
    rows,
  );
}
