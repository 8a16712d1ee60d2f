import { groupName } from '../../assessments/model/lookups';
import { METHOD_ID, ownValue } from '../../scoring';
import { MAX_WIDTH, num, textWidth, type TableContext } from './context';
import { smallGroups } from './small-groups';
import type { Cell, Column, Table } from './types';

/** Methodology sections 2–5 and 8, in the order of methodology.md. */
export const FORMULA_KEYS = [
  'dontKnow',
  'impactRating',
  'impactNegative',
  'impactPositive',
  'impactLikelihood',
  'financialAssessment',
  'financialRating',
  'partial',
  'groupStats',
  'included',
  'axisScore',
  'pooled',
  'material',
  'classification',
  'ruleEither',
  'ruleBoth',
  'borderline',
  'override',
  'rankExceedance',
  'rankSum',
  'rankEuclidean',
  'rankProduct',
  'rankOrder',
  'smallGroups',
] as const;

const utc = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** How many responses the Responses sheet leaves out (a lone small group), when it leaves any out. */
function omittedRows(c: TableContext): Cell[][] {
  const omitted = [...smallGroups(c).omitted];
  if (!omitted.length) return [];
  const n = omitted.reduce((sum, g) => sum + (ownValue(c.r.responses.byGroup, g) ?? 0), 0);
  return [[c.t('exports.method.responsesOmitted', { n: c.settings.minReportN }), n]];
}

/** Method: the settings these figures were computed with, then every formula in words. */
export function methodTable(c: TableContext, generatedAt: Date): Table {
  const { t, settings: s } = c;
  const m = (key: string, opts: Record<string, unknown> = {}) => t(`exports.method.${key}`, opts);
  const modes = c.a.settings.instruments ?? c.r.settings.instruments;
  const rows: Cell[][] = [
    [m('methodId'), c.r.method || METHOD_ID],
    [m('assessment'), c.a.name],
    [m('reportingYear'), c.a.reportingYear],
    [m('generatedAt'), utc(generatedAt)],
    [m('dataUpdatedAt'), c.r.dataUpdatedAt ? utc(new Date(c.r.dataUpdatedAt)) : null],
    [m('responsesTotal'), c.r.responses.total],
    // Section 7: which flagged responses were left out of every score (analytics issue).
    [
      t('analytics.quality.methodRow'),
      (c.r.excluded ?? []).map((f) => t(`analytics.quality.${f}`)).join(', ') ||
        t('analytics.quality.methodNone'),
    ],
    ...omittedRows(c),
    [m('thresholdImpact'), s.thresholds.impact],
    [m('thresholdFinancial'), s.thresholds.financial],
    [m('rule'), t(`exports.values.rule.${s.rule}`)],
    [m('rankingMethod'), t(`exports.values.rankingMethod.${s.rankingMethod}`)],
    [m('borderlineBand'), s.borderlineBand],
    [m('minGroupN'), s.minGroupN],
    [m('minReportN'), s.minReportN],
    [m('modeImpact'), t(`exports.values.mode.${modes?.impact?.mode ?? 'rating'}`)],
    [m('modeFinancial'), t(`exports.values.mode.${modes?.financial?.mode ?? 'assessment'}`)],
    [m('languages'), (c.a.settings.languages ?? []).map((l) => t(`lang.${l}`)).join(', ')],
    ...c.a.groups.map((g): Cell[] => [
      m('weight', { group: `${g.code} (${groupName(c.a, g.code, c.lang)})` }),
      num(ownValue(c.r.settings.weights, g.code) ?? g.weight),
    ]),
    ...FORMULA_KEYS.map((k): Cell[] => [m(`formula.${k}`), m(`text.${k}`)]),
  ];
  const columns: Column[] = [
    {
      header: t('exports.cols.item'),
      kind: 'text',
      width: Math.min(MAX_WIDTH, Math.max(...rows.map((r) => textWidth(String(r[0])))) + 2),
    },
    { header: t('exports.cols.value'), kind: 'mixed', width: 100 },
  ];
  return { sheet: t('exports.sheets.method'), columns, rows };
}
