import type { Assessment } from '../../assessments/model/assessment.types';
import { AXES, ownValue, requiredCriteria, type Axis, type Criterion } from '../../scoring';
import { MAX_WIDTH, textWidth, type TableContext } from './context';
import type { Cell, Column, ColumnKind, ResponseOptions, ResponseTable } from './types';

// Responses are streamed: the builder returns the columns and a function that makes one row.

/** The Responses table's mark for "don't know" (empty means the question was not asked). */
export const DONT_KNOW_CELL = 'DK';

interface AnswerColumn {
  instrument: Axis;
  topic: string;
  criterion: Criterion;
}

/** One column per instrument:topic:criterion the questionnaire asks, in questionnaire order. */
export function answerColumns(a: Assessment): AnswerColumn[] {
  const cols: AnswerColumn[] = [];
  for (const instrument of AXES) {
    if (!a.groups.some((g) => g.instruments.includes(instrument))) continue;
    const mode =
      a.settings.instruments?.[instrument]?.mode ??
      (instrument === 'impact' ? 'rating' : 'assessment');
    for (const topic of a.topics) {
      for (const criterion of requiredCriteria(instrument, mode, topic.impactProfile))
        cols.push({ instrument, topic: topic.code, criterion });
    }
  }
  return cols;
}

const DEVICES = new Set(['mobile', 'tablet', 'desktop', 'bot', 'unknown']);

/** Where each answer of an `instrument:topic` goes: its criteria and their answer column index. */
function answerSlots(cols: AnswerColumn[]): Map<string, [Criterion, number][]> {
  const index = new Map<string, [Criterion, number][]>();
  cols.forEach((col, i) => {
    const key = `${col.instrument}:${col.topic}`;
    let slots = index.get(key);
    if (!slots) index.set(key, (slots = []));
    slots.push([col.criterion, i]);
  });
  return index;
}

/** An answer as written: 1..5, DK for a stored null ("don't know"), empty for anything else. */
function answerCell(v: number | null | undefined): Cell {
  // "Don't know" is a stored null; it is written as DK so it differs from a question not asked.
  if (v === null) return DONT_KNOW_CELL;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5 ? v : null;
}

/**
 * Rows of anonymised responses: a pseudonymous id, the group, language, time, duration and device
 * class, then each answer 1..5 (empty for "don't know"). Responses of a group with fewer than
 * minReportN responses are labelled together as "groups with fewer than N responses", so the raw
 * rows cannot rebuild a per-group figure that section 8 suppresses.
 */
export function responseTable(c: TableContext, opts: ResponseOptions): ResponseTable {
  const { t } = c;
  const cols = answerColumns(c.a);
  const slots = answerSlots(cols);
  const minReportN = c.settings.minReportN;
  const smallLabel = t('exports.values.smallGroups', { n: minReportN });
  const small = new Set(
    Object.entries(c.r.responses.byGroup)
      .filter(([, n]) => n < minReportN)
      .map(([g]) => g),
  );
  const device = (v: string | null | undefined) =>
    v && DEVICES.has(v) ? t(`exports.values.device.${v}`) : (v ?? null);
  // header, kind, minimum width
  const fixed: [string, ColumnKind, number][] = [
    [t('exports.cols.responseId'), 'text', 18],
    [t('exports.cols.group'), 'text', 12],
    [t('exports.cols.language'), 'text', 9],
    [t('exports.cols.submittedAt'), 'date', 20],
    [t('exports.cols.durationS'), 'decimal', 10],
    [t('exports.cols.device'), 'text', 10],
  ];
  const columns: Column[] = [
    ...fixed.map(([header, kind, min]): Column => ({
      header,
      kind,
      width: Math.max(textWidth(header) + 2, min),
    })),
    ...cols.map((col): Column => {
      const header = `${col.instrument}:${col.topic}:${col.criterion}`;
      return { header, kind: 'int', width: Math.min(MAX_WIDTH, textWidth(header) + 2) };
    }),
  ];
  return {
    sheet: t('exports.sheets.responses'),
    columns,
    row(doc) {
      const at = doc.submittedAt ? new Date(doc.submittedAt) : null;
      const row: Cell[] = [
        opts.pseudonym(String(doc._id)),
        small.has(doc.group) || ownValue(c.r.responses.byGroup, doc.group) === undefined
          ? smallLabel
          : doc.group,
        doc.lang ?? null,
        at && !Number.isNaN(+at) ? at : null,
        typeof doc.durationMs === 'number' && Number.isFinite(doc.durationMs)
          ? doc.durationMs / 1000
          : null,
        device(doc.userAgentClass),
        ...cols.map((): Cell => null),
      ];
      for (const ans of doc.answers ?? []) {
        for (const [criterion, i] of slots.get(`${ans.instrument}:${ans.topic}`) ?? [])
          row[fixed.length + i] = answerCell(ans[criterion]);
      }
      return row;
    },
  };
}
