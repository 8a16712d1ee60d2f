import type { Assessment } from '../../assessments/model/assessment.types';
import type { Results } from '../../results/results.service';
import { stampOf } from '../../assessments/model/lookups';
import { translator, type Lang } from '../../shared/i18n';
import { tableContext } from './context';
import { groupsTable } from './groups';
import { iroTable } from './iro';
import { matrixTable } from './matrix';
import { methodTable } from './method';
import { perGroupTable } from './per-group';
import { rankingsTable } from './rankings';
import { yearOverYearTable } from './year-over-year';
import { responseTable } from './responses';
import type { ExportTables, ResponseOptions } from './types';

// Pure table builders for every export (no express, no mongoose), one file per sheet: the XLSX and
// CSV writers only lay out what is decided here, so a workbook and a CSV of the same data agree.

export type {
  Cell,
  Column,
  ColumnKind,
  ExportTables,
  ResponseOptions,
  ResponseRecord,
  ResponseTable,
  Table,
} from './types';
export { textWidth } from './context';
export { FORMULA_KEYS } from './method';
export { answerColumns, DONT_KNOW_CELL } from './responses';
export { appendixTable } from './appendix';
export { analyticsTable } from './analytics';
export { tableContext } from './context';

export function buildExportTables(
  results: Results,
  assessment: Assessment,
  lang: Lang,
  opts: ResponseOptions,
  generatedAt = new Date(),
): ExportTables {
  const c = tableContext(results, assessment, lang);
  return {
    rankings: rankingsTable(c),
    matrix: matrixTable(c),
    groups: groupsTable(c),
    perGroup: perGroupTable(c),
    iros: iroTable(c),
    method: methodTable(c, generatedAt),
    responses: responseTable(c, opts),
    stamp: stampOf(assessment, translator(lang)).text,
    yearOverYear: yearOverYearTable(c),
  };
}
