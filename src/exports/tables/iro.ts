import { table, topicName, type TableContext } from './context';
import type { Cell, Table } from './types';

/** The IRO register in topic order (then in the order the IROs were added). */
export function iroTable(c: TableContext): Table {
  const { t } = c;
  const order = new Map(c.a.topics.map((tp, i) => [tp.code, i]));
  const iros = [...(c.a.iros ?? [])].map((iro, i) => ({ iro, i }));
  iros.sort(
    (x, y) =>
      (order.get(x.iro.topic) ?? Infinity) - (order.get(y.iro.topic) ?? Infinity) || x.i - y.i,
  );
  const rows = iros.map(({ iro }): Cell[] => [
    iro.topic,
    topicName(c, iro.topic),
    t(`exports.values.iroType.${iro.type}`),
    t(`exports.values.actuality.${iro.actuality}`),
    t(`exports.values.stage.${iro.stage}`),
    t(`exports.values.horizon.${iro.horizon}`),
    iro.description ?? '',
  ]);
  return table(
    t('exports.sheets.iros'),
    [
      [t('exports.cols.topicCode'), 'text'],
      [t('exports.cols.topicName'), 'text'],
      [t('exports.cols.type'), 'text'],
      [t('exports.cols.actuality'), 'text'],
      [t('exports.cols.stage'), 'text'],
      [t('exports.cols.horizon'), 'text'],
      [t('exports.cols.description'), 'text'],
    ],
    rows,
  );
}
