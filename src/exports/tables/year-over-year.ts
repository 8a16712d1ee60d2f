import { num, table, topicName, yesNo, type TableContext } from './context';
import type { Cell, Table } from './types';

/**
 * The "Year over year" sheet (review piece): this year's topics beside last year's figures (from the
 * results' `previous` fields), then the dropped topics. Null when there is no previous assessment.
 */
export function yearOverYearTable(c: TableContext): Table | null {
  if (!c.r.previous) return null;
  const { t } = c;
  const rows = c.r.topics.map((tr): Cell[] => [
    tr.rank,
    tr.code,
    topicName(c, tr.code, tr.name),
    tr.previous?.rank ?? null,
    tr.rankChange ?? t('review.yoy.new'),
    num(tr.impact.score),
    num(tr.previous?.impactScore ?? null),
    num(tr.financial.score),
    num(tr.previous?.financialScore ?? null),
    yesNo(t, tr.material),
    tr.previous ? yesNo(t, tr.previous.material) : null,
  ]);
  for (const d of c.r.droppedTopics ?? [])
    rows.push([null, d.code, topicName(c, d.code, d.name), d.rank, t('review.yoy.droppedRow')]);
  return table(
    `${t('review.yoy.sheet')} ${c.r.previous.reportingYear}`,
    [
      [t('review.yoy.colRank'), 'int'],
      [t('review.yoy.colCode'), 'text'],
      [t('review.yoy.colName'), 'text'],
      [t('review.yoy.colPrevRank'), 'int'],
      [t('review.yoy.colChange'), 'mixed'],
      [t('review.yoy.colImpact'), 'decimal'],
      [t('review.yoy.colPrevImpact'), 'decimal'],
      [t('review.yoy.colFinancial'), 'decimal'],
      [t('review.yoy.colPrevFinancial'), 'decimal'],
      [t('review.yoy.colMaterial'), 'text'],
      [t('review.yoy.colPrevMaterial'), 'text'],
    ],
    rows,
  );
}
