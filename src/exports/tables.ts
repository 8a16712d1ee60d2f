import type { TFunction } from 'i18next';
import type { Assessment, Group, Topic } from '../assessments/model/assessment.types';
import { groupName } from '../assessments/model/lookups';
import type { Results } from '../results/results.service';
import { AXES, METHOD_ID, requiredCriteria, resolveSettings, suppressSmallGroups, type Axis, type Criterion, type ScoringSettings } from '../scoring';
import { localized, translator, type Lang } from '../shared/i18n';

// Pure table builders for every export (no express, no mongoose): the XLSX and CSV writers only
// lay out what is decided here, so a workbook and a CSV of the same data always agree.

/** A cell: text, a real number (never a rounded string), a date, or empty. */
/** The Responses table's mark for "don't know" (empty means the question was not asked). */
export const DONT_KNOW_CELL = 'DK';

export type Cell = string | number | Date | null;

/**
 * How a column is shown: `int` and `decimal` are number cells whose display is rounded only by the
 * XLSX number format; `mixed` holds text and numbers (a key/value list).
 */
export type ColumnKind = 'text' | 'int' | 'decimal' | 'date' | 'mixed';

export interface Column {
  header: string;
  kind: ColumnKind;
  /** in characters */
  width: number;
}

export interface Table {
  sheet: string;
  columns: Column[];
  rows: Cell[][];
}

/** The stored response fields an export may use; names, e-mails and link references are not among them. */
export interface ResponseRecord {
  _id: string;
  group: string;
  lang?: string | null;
  submittedAt?: Date | string | null;
  durationMs?: number | null;
  userAgentClass?: string | null;
  answers?: ({ instrument: string; topic: string } & Partial<Record<Criterion, number | null>>)[];
}

export interface ResponseTable {
  sheet: string;
  columns: Column[];
  row(doc: ResponseRecord): Cell[];
}

export interface ResponseOptions {
  /**
   * Maps a stored response id to the id shown in exports. Stored ids of personal responses embed the
   * link reference, so they must never be shown as they are.
   */
  pseudonym(storedId: string): string;
}

export interface ExportTables {
  rankings: Table;
  matrix: Table;
  groups: Table;
  perGroup: Table;
  iros: Table;
  method: Table;
  responses: ResponseTable;
}

interface Ctx {
  a: Assessment;
  r: Results;
  lang: Lang;
  t: TFunction;
  settings: ScoringSettings;
  topics: Map<string, Topic>;
  groups: Map<string, Group>;
}

const MAX_WIDTH = 60;

export function buildExportTables(results: Results, assessment: Assessment, lang: Lang, opts: ResponseOptions, generatedAt = new Date()): ExportTables {
  const ctx: Ctx = {
    a: assessment,
    r: results,
    lang,
    t: translator(lang),
    settings: resolveSettings(results.settings),
    topics: new Map(assessment.topics.map((t) => [t.code, t])),
    groups: new Map(assessment.groups.map((g) => [g.code, g])),
  };
  return {
    rankings: rankingsTable(ctx),
    matrix: matrixTable(ctx),
    groups: groupsTable(ctx),
    perGroup: perGroupTable(ctx),
    iros: iroTable(ctx),
    method: methodTable(ctx, generatedAt),
    responses: responseTable(ctx, opts),
  };
}

// ---- small helpers ----

/** Display width of a text: CJK characters take two columns. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** Columns sized to their header and content, within sensible bounds. */
function sized(defs: [string, ColumnKind][], rows: Cell[][]): Column[] {
  return defs.map(([header, kind], i) => {
    let w = textWidth(header);
    for (const row of rows) {
      const v = row[i];
      const len = typeof v === 'string' ? textWidth(v) : typeof v === 'number' ? (kind === 'decimal' ? 6 : String(v).length) : v instanceof Date ? 19 : 0;
      if (len > w) w = len;
    }
    return { header, kind, width: Math.min(MAX_WIDTH, Math.max(6, w + 2)) };
  });
}

function table(sheet: string, defs: [string, ColumnKind][], rows: Cell[][]): Table {
  return { sheet, columns: sized(defs, rows), rows };
}

/** A finite number or empty: NaN and Infinity never reach a file. */
const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const yesNo = (t: TFunction, v: boolean) => t(v ? 'exports.values.yes' : 'exports.values.no');
const topicName = (c: Ctx, code: string, name?: Record<string, string>) => localized(c.topics.get(code)?.name ?? name, c.lang).text || code;
/** Records keyed by user-chosen codes: only own keys count (a code may be `constructor`). */
const own = <T>(rec: Record<string, T> | undefined, key: string): T | undefined => (rec && Object.hasOwn(rec, key) ? rec[key] : undefined);

// ---- the tables ----

function rankingsTable(c: Ctx): Table {
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

function matrixTable(c: Ctx): Table {
  const { t } = c;
  const rows = c.r.topics.map((tr): Cell[] => [
    tr.code,
    topicName(c, tr.code, tr.name),
    tr.category,
    num(tr.impact.score),
    num(tr.financial.score),
    t(`exports.values.classification.${tr.classification}`),
  ]);
  return table(
    t('exports.sheets.matrix'),
    [
      [t('exports.cols.code'), 'text'],
      [t('exports.cols.name'), 'text'],
      [t('exports.cols.category'), 'text'],
      [t('exports.cols.impact'), 'decimal'],
      [t('exports.cols.financial'), 'decimal'],
      [t('exports.cols.classification'), 'text'],
    ],
    rows,
  );
}

function groupsTable(c: Ctx): Table {
  const { t } = c;
  const rows = c.a.groups.map((g): Cell[] => [
    g.code,
    groupName(c.a, g.code, c.lang),
    t(`exports.values.kind.${g.kind}`),
    num(own(c.r.settings.weights, g.code) ?? g.weight),
    g.instruments.map((i) => t(`exports.values.axis.${i}`)).join(', '),
    num(g.targetResponses),
    own(c.r.responses.byGroup, g.code) ?? 0,
  ]);
  return table(
    t('exports.sheets.groups'),
    [
      [t('exports.cols.code'), 'text'],
      [t('exports.cols.name'), 'text'],
      [t('exports.cols.kind'), 'text'],
      [t('exports.cols.weight'), 'decimal'],
      [t('exports.cols.instruments'), 'text'],
      [t('exports.cols.target'), 'int'],
      [t('exports.cols.responsesN'), 'int'],
    ],
    rows,
  );
}

/** Section 8: figures of a group with n < minReportN are replaced by "fewer than N" and empty numbers. */
function perGroupTable(c: Ctx): Table {
  const { t } = c;
  const minReportN = c.settings.minReportN;
  const fewer = t('exports.values.fewerThan', { n: minReportN });
  const rows: Cell[][] = [];
  for (const tr of c.r.topics) {
    for (const axis of AXES) {
      const reported = suppressSmallGroups(tr[axis], minReportN);
      for (const code of orderedGroupCodes(c, Object.keys(reported.byGroup))) {
        const g = reported.byGroup[code];
        rows.push([
          tr.code,
          topicName(c, tr.code, tr.name),
          t(`exports.values.axis.${axis}`),
          code,
          groupName(c.a, code, c.lang),
          g.suppressed ? null : num(g.mean),
          g.suppressed ? null : num(g.sd),
          g.suppressed ? fewer : num(g.n),
          g.suppressed ? null : num(g.dontKnow),
        ]);
      }
    }
  }
  return table(
    t('exports.sheets.perGroup'),
    [
      [t('exports.cols.topicCode'), 'text'],
      [t('exports.cols.topicName'), 'text'],
      [t('exports.cols.axis'), 'text'],
      [t('exports.cols.groupCode'), 'text'],
      [t('exports.cols.groupName'), 'text'],
      [t('exports.cols.mean'), 'decimal'],
      [t('exports.cols.sd'), 'decimal'],
      [t('exports.cols.n'), 'int'],
      [t('exports.cols.dontKnow'), 'int'],
    ],
    rows,
  );
}

/** The assessment's group order first, then any group no longer configured. */
function orderedGroupCodes(c: Ctx, codes: string[]): string[] {
  const order = new Map(c.a.groups.map((g, i) => [g.code, i]));
  return [...codes].sort((x, y) => (order.get(x) ?? Infinity) - (order.get(y) ?? Infinity) || x.localeCompare(y));
}

function iroTable(c: Ctx): Table {
  const { t } = c;
  const order = new Map(c.a.topics.map((tp, i) => [tp.code, i]));
  const iros = [...(c.a.iros ?? [])].map((iro, i) => ({ iro, i }));
  iros.sort((x, y) => (order.get(x.iro.topic) ?? Infinity) - (order.get(y.iro.topic) ?? Infinity) || x.i - y.i);
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

function methodTable(c: Ctx, generatedAt: Date): Table {
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
    ...c.a.groups.map((g): Cell[] => [m('weight', { group: `${g.code} (${groupName(c.a, g.code, c.lang)})` }), num(own(c.r.settings.weights, g.code) ?? g.weight)]),
    ...FORMULA_KEYS.map((k): Cell[] => [m(`formula.${k}`), m(`text.${k}`)]),
  ];
  const columns: Column[] = [
    { header: t('exports.cols.item'), kind: 'text', width: Math.min(MAX_WIDTH, Math.max(...rows.map((r) => textWidth(String(r[0])))) + 2) },
    { header: t('exports.cols.value'), kind: 'mixed', width: 100 },
  ];
  return { sheet: t('exports.sheets.method'), columns, rows };
}

// ---- responses (streamed: one row at a time) ----

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
    const mode = a.settings.instruments?.[instrument]?.mode ?? (instrument === 'impact' ? 'rating' : 'assessment');
    for (const topic of a.topics) {
      for (const criterion of requiredCriteria(instrument, mode, topic.impactProfile)) cols.push({ instrument, topic: topic.code, criterion });
    }
  }
  return cols;
}

/**
 * Rows of anonymised responses: a pseudonymous id, the group, language, time, duration and device
 * class, then each answer 1..5 (empty for "don't know"). Responses of a group with fewer than
 * minReportN responses are labelled together as "groups with fewer than N responses", so the raw
 * rows cannot rebuild a per-group figure that section 8 suppresses.
 */
function responseTable(c: Ctx, opts: ResponseOptions): ResponseTable {
  const { t } = c;
  const cols = answerColumns(c.a);
  const index = new Map<string, [Criterion, number][]>();
  cols.forEach((col, i) => {
    const key = `${col.instrument}:${col.topic}`;
    if (!index.has(key)) index.set(key, []);
    index.get(key)!.push([col.criterion, i]);
  });
  const minReportN = c.settings.minReportN;
  const smallLabel = t('exports.values.smallGroups', { n: minReportN });
  const small = new Set(Object.entries(c.r.responses.byGroup).filter(([, n]) => n < minReportN).map(([g]) => g));
  const device = (v: string | null | undefined) => (v && ['mobile', 'tablet', 'desktop', 'bot', 'unknown'].includes(v) ? t(`exports.values.device.${v}`) : (v ?? null));
  const fixed: [string, ColumnKind][] = [
    [t('exports.cols.responseId'), 'text'],
    [t('exports.cols.group'), 'text'],
    [t('exports.cols.language'), 'text'],
    [t('exports.cols.submittedAt'), 'date'],
    [t('exports.cols.durationS'), 'decimal'],
    [t('exports.cols.device'), 'text'],
  ];
  const columns: Column[] = [
    ...fixed.map(([header, kind], i): Column => ({ header, kind, width: Math.max(textWidth(header) + 2, [18, 12, 9, 20, 10, 10][i]) })),
    ...cols.map((col): Column => {
      const header = `${col.instrument}:${col.topic}:${col.criterion}`;
      return { header, kind: 'int', width: Math.min(MAX_WIDTH, textWidth(header) + 2) };
    }),
  ];
  const width = columns.length;
  return {
    sheet: t('exports.sheets.responses'),
    columns,
    row(doc) {
      const row: Cell[] = new Array(width).fill(null);
      row[0] = opts.pseudonym(String(doc._id));
      row[1] = small.has(doc.group) || own(c.r.responses.byGroup, doc.group) === undefined ? smallLabel : doc.group;
      row[2] = doc.lang ?? null;
      const at = doc.submittedAt ? new Date(doc.submittedAt) : null;
      row[3] = at && !Number.isNaN(+at) ? at : null;
      row[4] = typeof doc.durationMs === 'number' && Number.isFinite(doc.durationMs) ? doc.durationMs / 1000 : null;
      row[5] = device(doc.userAgentClass);
      for (const ans of doc.answers ?? []) {
        const slots = index.get(`${ans.instrument}:${ans.topic}`);
        if (!slots) continue;
        for (const [criterion, i] of slots) {
          const v = ans[criterion];
          // "Don't know" is a stored null; it is written as DK so it differs from a question not asked.
          row[fixed.length + i] = v === null ? DONT_KNOW_CELL : typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5 ? v : null;
        }
      }
      return row;
    },
  };
}
