import type { AppendixModel } from '../../review/appendix/appendix.service';
import { translator } from '../../shared/i18n';
import { table, type ColumnDef } from './context';
import type { Cell, Table } from './types';

/** "12" is a count, "fewer than 5" (suppressed) stays text. */
const count = (s: string): Cell => (/^\d+$/.test(s) ? Number(s) : s);

/**
 * The "Method appendix" sheet: the appendix page (review/appendix) laid out as rows, in the same
 * order and with the same figures: it is built from the same model, so no number is typed twice.
 * Scores are the full-precision values of the results (or the approved snapshot).
 */
export function appendixTable(ap: AppendixModel): Table {
  const tt = translator(ap.lang);
  const T = (k: string, v: Record<string, unknown> = {}) => tt(`appendix.${k}`, v);
  const s = ap.settings;
  const rows: Cell[][] = [
    [T('intro')],
    [],
    [T('process')],
    [T('opened'), ap.opened],
    [T('closed'), ap.closed],
    [T('groups')],
    [T('group'), T('kind'), T('weight'), T('instruments'), T('invited'), T('responded')],
    ...ap.groups.map((g): Cell[] => [
      `${g.name} (${g.code})`,
      g.kind,
      g.weight,
      g.instruments,
      count(g.invited),
      count(g.responded),
    ]),
    [T('total', { n: ap.total })],
    [],
    [T('instrumentsTitle')],
    [T('impactMode', { mode: ap.modes.impact })],
    [T('financialMode', { mode: ap.modes.financial })],
    [],
    [T('method', { id: ap.method })],
    [T('f1')],
    [T('f2', { minGroupN: s.minGroupN })],
    [T('f3', { rule: s.rule, ruleText: s.ruleText, band: s.band })],
    [T('f4', { ranking: s.ranking })],
    [T('f5', { minReportN: s.minReportN })],
    [T('thresholds', { impact: s.impact, financial: s.financial }), s.impact, s.financial],
    [T('exclusions', { list: ap.exclusions })],
    [],
    [T('results')],
    [
      T('rank'),
      T('topic'),
      T('impact'),
      T('financial'),
      T('classification'),
      T('computed'),
      T('final'),
    ],
    ...ap.topics.map((r): Cell[] => [
      r.rank,
      `${r.name} (${r.code})`,
      r.impact.value,
      r.financial.value,
      r.classification,
      r.computed,
      r.final,
    ]),
    [],
    [T('overrides')],
    ...(ap.overrides.length ? ap.overrides.map((o): Cell[] => [o]) : [[T('noOverrides')]]),
    [],
    [T('signOff')],
    [ap.signOff],
    [],
    [T('standards')],
    [T('standardsText')],
  ];
  // One header: the title, then the stamp (the sheet's page header and footer carry it as well).
  const defs: ColumnDef[] = [
    [ap.title, 'mixed'],
    [ap.stamp, 'mixed'],
    ...Array.from({ length: 5 }, (): ColumnDef => ['', 'mixed']),
  ];
  return table(tt('sheets.appendix.sheet'), defs, rows);
}
