import type { Assessment } from '../../assessments/model/assessment.types';
import { AXES, ownValue, requiredCriteria, type Axis, type Criterion } from '../../scoring';
import { groupName } from '../../assessments/model/lookups';
import { DEVICE_CLASSES } from '../../responses/response.model';
import { LANGS } from '../../shared/i18n';
import { MAX_WIDTH, textWidth, topicName, type TableContext } from './context';
import { smallGroups } from './small-groups';
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

/** An UTC date as a cell: the day only, so a row's time cannot be matched to a login or an e-mail. */
function dayOf(v: Date | string | null | undefined): Date | null {
  const at = v ? new Date(v) : null;
  if (!at || Number.isNaN(+at)) return null;
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/**
 * Rows of anonymised responses: a pseudonymous id, the group's and the language's names, the day
 * (UTC) it was submitted, the duration in whole seconds and the device class, then each answer
 * 1..5 (DK for "don't know"). Headers are in the file's language, with the codes in a second
 * header row. Responses of groups that SmallGroups puts in the bucket are labelled together as
 * "groups with fewer than N responses", so the raw rows cannot rebuild a per-group figure that
 * section 8 suppresses; a lone small group's rows are left out.
 */
export function responseTable(c: TableContext, opts: ResponseOptions): ResponseTable {
  const { t } = c;
  const cols = answerColumns(c.a);
  const slots = answerSlots(cols);
  const small = smallGroups(c);
  const smallLabel = t('exports.values.smallGroups', { n: c.settings.minReportN });
  const groupNames = new Map(c.a.groups.map((g) => [g.code, groupName(c.a, g.code, c.lang)]));
  // Labels are looked up once per export, not once per row (i18next's t() showed in profiles).
  const deviceLabels = new Map<string, string>(
    DEVICE_CLASSES.map((d) => [d, t(`exports.values.device.${d}`)]),
  );
  const langLabels = new Map(LANGS.map((l) => [l as string, t(`lang.${l}`)]));
  const device = (v: string | null | undefined) => (v && deviceLabels.get(v)) || (v ?? null);
  const language = (v: string | null | undefined) => (v && langLabels.get(v)) || (v ?? null);
  // header, code, kind, minimum width
  const fixed: [string, string, ColumnKind, number][] = [
    [t('exports.cols.responseId'), 'response_id', 'text', 18],
    [t('exports.cols.group'), 'group', 'text', 12],
    [t('exports.cols.language'), 'lang', 'text', 9],
    [t('exports.cols.submittedAt'), 'submitted_on', 'day', 12],
    [t('exports.cols.durationS'), 'duration_s', 'int', 10],
    [t('exports.cols.device'), 'device', 'text', 10],
  ];
  const answerHeader = (col: AnswerColumn) =>
    t('exports.cols.answer', {
      axis: t(`exports.values.axis.${col.instrument}`),
      topic: topicName(c, col.topic),
      criterion: t(`exports.values.criterion.${col.criterion}`),
      interpolation: { escapeValue: false },
    });
  const columns: Column[] = [
    ...fixed.map(([header, , kind, min]): Column => ({
      header,
      kind,
      width: Math.max(Math.min(MAX_WIDTH, textWidth(header) + 2), min),
    })),
    ...cols.map((col): Column => {
      const header = answerHeader(col);
      return { header, kind: 'int', width: Math.min(30, Math.max(10, textWidth(header) / 2 + 2)) };
    }),
  ];
  const codes = [
    ...fixed.map(([, code]) => code),
    ...cols.map((col) => `${col.instrument}:${col.topic}:${col.criterion}`),
  ];
  return {
    sheet: t('exports.sheets.responses'),
    columns,
    codes,
    row(doc) {
      if (small.omitted.has(doc.group)) return null;
      const known = ownValue(c.r.responses.byGroup, doc.group) !== undefined;
      const row: Cell[] = [
        opts.pseudonym(String(doc._id)),
        small.bucket.has(doc.group) || !known
          ? smallLabel
          : (groupNames.get(doc.group) ?? doc.group),
        language(doc.lang),
        dayOf(doc.submittedAt),
        typeof doc.durationMs === 'number' && Number.isFinite(doc.durationMs)
          ? Math.round(doc.durationMs / 1000)
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
