import type { TFunction } from 'i18next';
import type { Assessment, Topic } from '../../assessments/model/assessment.types';
import type { Results } from '../../results/results.service';
import { resolveSettings, type ScoringSettings } from '../../scoring';
import { localized, translator, type Lang } from '../../shared/i18n';
import type { Cell, Column, ColumnKind, Table } from './types';

// What every sheet builder reads, and the small helpers they share.

export interface TableContext {
  a: Assessment;
  r: Results;
  lang: Lang;
  t: TFunction;
  settings: ScoringSettings;
  topics: Map<string, Topic>;
}

export function tableContext(results: Results, assessment: Assessment, lang: Lang): TableContext {
  return {
    a: assessment,
    r: results,
    lang,
    t: translator(lang),
    settings: resolveSettings(results.settings),
    topics: new Map(assessment.topics.map((t) => [t.code, t])),
  };
}

export const MAX_WIDTH = 60;

/** Display width of a text: CJK characters take two columns. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

/** A column as the builders declare it: its header and how its cells are shown. */
export type ColumnDef = [header: string, kind: ColumnKind];

/** Columns sized to their header and content, within sensible bounds. */
function sized(defs: ColumnDef[], rows: Cell[][]): Column[] {
  return defs.map(([header, kind], i) => {
    let w = textWidth(header);
    for (const row of rows) {
      const v = row[i];
      const len =
        typeof v === 'string'
          ? textWidth(v)
          : typeof v === 'number'
            ? kind === 'decimal'
              ? 6
              : String(v).length
            : v instanceof Date
              ? 19
              : 0;
      if (len > w) w = len;
    }
    return { header, kind, width: Math.min(MAX_WIDTH, Math.max(6, w + 2)) };
  });
}

export function table(sheet: string, defs: ColumnDef[], rows: Cell[][]): Table {
  return { sheet, columns: sized(defs, rows), rows };
}

/** A finite number or empty: NaN and Infinity never reach a file. */
export const num = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

export const yesNo = (t: TFunction, v: boolean) =>
  t(v ? 'exports.values.yes' : 'exports.values.no');

export const topicName = (c: TableContext, code: string, name?: Record<string, string>) =>
  localized(c.topics.get(code)?.name ?? name, c.lang).text || code;
