import type { Analytics } from '../../analytics/compute';
import { groupName } from '../../assessments/model/lookups';
import { ownValue } from '../../scoring';
import { num, table, topicName, yesNo, type ColumnDef, type TableContext } from './context';
import type { Cell, Table } from './types';

/**
 * The "Analytics" sheet, from the analytics cached for the current data (api.md "Analytics"): per
 * topic the 95% intervals of both axes, P(material), the uncertain flag, the rank range under other
 * weights, method-sensitivity and leave-one-group-out changes; then Kendall's W with χ², df and p,
 * and the response-quality counts by group with the active exclusions. `null` (nothing cached):
 * one row that says so. An export never starts the computation.
 */
export function analyticsTable(c: TableContext, an: Analytics | null): Table {
  const { t } = c;
  const s = (k: string, v: Record<string, unknown> = {}) => t(`sheets.analytics.${k}`, v);
  const sheet = s('sheet');
  if (!an) return table(sheet, [[s('sheet'), 'text']], [[s('notComputed')]]);

  const gName = (code: string) => `${code} (${groupName(c.a, code, c.lang)})`;
  const topN = an.methodSensitivity.topN;
  const methodFlips = (code: string) =>
    an.methodSensitivity.flips
      .filter((f) => f.code === code)
      .map(
        (f) =>
          `${f.under}: ${
            f.under.startsWith('ranking:')
              ? t(f.material ? 'analytics.method.inTop' : 'analytics.method.notInTop', { n: topN })
              : s(f.material ? 'material' : 'notMaterial')
          }`,
      )
      .join('; ');
  const logoFlips = (code: string) =>
    an.leaveOneGroupOut
      .flatMap((l) =>
        l.flips
          .filter((f) => f.code === code)
          .map((f) => `${l.group}: ${t(`results.classification.${f.classification}`)}`),
      )
      .join('; ');
  const rows: Cell[][] = an.topics.map((x): Cell[] => [
    x.code,
    topicName(c, x.code),
    x.rank,
    num(x.impact.score),
    num(x.impact.ci95?.[0]),
    num(x.impact.ci95?.[1]),
    num(x.financial.score),
    num(x.financial.ci95?.[0]),
    num(x.financial.ci95?.[1]),
    x.pMaterial,
    yesNo(t, x.uncertain),
    x.rankRange90[0],
    x.rankRange90[1],
    x.pMaterialUnderWeights,
    methodFlips(x.code) || null,
    logoFlips(x.code) || null,
  ]);

  const ag = an.agreement;
  rows.push(
    [],
    [s('agreement')],
    [s('kendallW'), num(ag.kendallW)],
    [s('chi2'), num(ag.chi2)],
    [s('df'), num(ag.df)],
    [s('pValue'), num(ag.pValue)],
    [s('groups'), ag.groups.map(gName).join(', ')],
  );

  // Methodology section 8: a count below minReportN is shown as "fewer than", except zero.
  const minReportN = c.settings.minReportN;
  const shown = (n: number): Cell =>
    n > 0 && n < minReportN ? t('analytics.fewerThan', { n: minReportN }) : n;
  const q = an.quality;
  rows.push(
    [],
    [s('quality'), s('straightLining'), s('speeder')],
    ...c.a.groups.map((g): Cell[] => {
      const byGroup = ownValue(q.byGroup, g.code) ?? { straightLining: 0, speeder: 0 };
      return [gName(g.code), shown(byGroup.straightLining), shown(byGroup.speeder)];
    }),
    [s('total'), q.straightLining, q.speeder],
    [
      s('excluded'),
      q.excluded.map((f) => t(`analytics.quality.${f}`)).join(', ') || s('nothingExcluded'),
    ],
    [],
    [s('method'), an.method],
    [s('computedAt'), an.computedAt.slice(0, 19).replace('T', ' ')],
    [s('bootstrap'), an.bootstrap.replicates],
    [s('seed'), an.bootstrap.seed],
  );

  const defs: ColumnDef[] = [
    [s('code'), 'mixed'],
    [s('topic'), 'mixed'],
    [s('rank'), 'mixed'],
    [s('impact'), 'decimal'],
    [s('impactLo'), 'decimal'],
    [s('impactHi'), 'decimal'],
    [s('financial'), 'decimal'],
    [s('financialLo'), 'decimal'],
    [s('financialHi'), 'decimal'],
    [s('pMaterial'), 'decimal'],
    [s('uncertain'), 'text'],
    [s('rankFrom'), 'int'],
    [s('rankTo'), 'int'],
    [s('pMaterialUnderWeights'), 'decimal'],
    [s('methodFlips'), 'text'],
    [s('logoFlips'), 'text'],
  ];
  return table(sheet, defs, rows);
}
