import { actorOf, recordAudit } from '../audit/audit.writer';
import type { SessionUser } from '../auth/roles';
import { assertCan } from '../auth/roles';
import { getAssessment, updateAssessment } from '../assessments/services/assessment.service';
import type { Assessment } from '../assessments/model/assessment.types';
import { stampOf } from '../assessments/model/lookups';
import { ValidationError } from '../shared/errors';
import { translator, type Lang } from '../shared/i18n';
import {
  buildMatrixChart,
  type LabelMode,
  type MatrixChart,
  type MatrixExtras,
  type RangeMode,
} from './matrix-chart';
import { PRINT_WIDTH, renderMatrixPng, renderMatrixSvg } from './matrix-render';
import { getResults, type Results } from './results.service';
import { parseSettingsForm } from './settings-form';

export interface ResultsView {
  assessment: Assessment;
  results: Results;
}

/** Results plus the assessment they belong to (names, groups, axis labels): one read of the assessment. */
export async function resultsView(
  actor: SessionUser | undefined,
  id: string,
  group?: string,
): Promise<ResultsView> {
  const assessment = await getAssessment(actor, id);
  return { assessment, results: await getResults(actor, assessment, { group }) };
}

export interface MatrixQuery {
  lang: Lang;
  group?: string;
  /** names (default), numbered markers with a key, or none (README "Matrix") */
  labels: LabelMode;
  range?: RangeMode;
  labelSize?: number;
  arrows?: boolean;
  whiskers?: boolean;
}

/**
 * Analytics (a layer above) registers how to find its cached intervals and uncertain topics for an
 * assessment; the matrix uses them when a caller passes no extras. Never computes: cache only.
 */
let extrasProvider: ((a: Assessment) => Promise<MatrixExtras | undefined>) | undefined;
export function provideMatrixExtras(fn: (a: Assessment) => Promise<MatrixExtras | undefined>) {
  extrasProvider = fn;
}

/** What other pieces add to the picture: analytics' intervals, the review's corner stamp. */
export interface MatrixAdditions {
  extras?: MatrixExtras;
  stamp?: string | null;
  /** a picture embedded in a page (not a file taken away): not logged as an export */
  embedded?: boolean;
}

export interface MatrixView extends ResultsView {
  chart: MatrixChart;
  svg: string;
}

/** Everything the matrix page shows: the option for the browser and the same chart as SVG. */
export async function matrixView(
  actor: SessionUser | undefined,
  id: string,
  q: MatrixQuery,
  add: MatrixAdditions = {},
): Promise<MatrixView> {
  const view = await resultsView(actor, id, q.group);
  const chart = buildMatrixChart(
    view.results,
    view.assessment,
    q.lang,
    {
      labels: q.labels,
      group: q.group,
      range: q.range,
      labelSize: q.labelSize,
      arrows: q.arrows,
      whiskers: q.whiskers,
      // The review's provisional / signed-off stamp, in the chart's language, unless a caller says.
      stamp:
        add.stamp !== undefined ? add.stamp : stampOf(view.assessment, translator(q.lang)).text,
    },
    add.extras ?? (q.group ? undefined : await extrasProvider?.(view.assessment)),
  );
  return { ...view, chart, svg: renderMatrixSvg(chart.option, q.lang) };
}

export interface MatrixFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** matrix.svg / matrix.png: the page's chart as a file. */
export async function matrixFile(
  actor: SessionUser | undefined,
  id: string,
  q: MatrixQuery & { format: 'svg' | 'png'; width?: number },
  add: MatrixAdditions = {},
): Promise<MatrixFile> {
  const { assessment, svg } = await matrixView(actor, id, q, add);
  if (!add.embedded)
    await recordAudit({
      actor: actorOf(actor),
      action: 'export',
      assessmentId: assessment._id,
      target: `matrix.${q.format}`,
    });
  const base = ['materiality-matrix', assessment.reportingYear, q.group ?? 'all', q.lang].join('-');
  if (q.format === 'svg') {
    return {
      body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, 'utf8'),
      contentType: 'image/svg+xml; charset=utf-8',
      filename: `${base}.svg`,
    };
  }
  return {
    body: await renderMatrixPng(svg, q.lang, q.width ?? PRINT_WIDTH),
    contentType: 'image/png',
    filename: `${base}.png`,
  };
}

/**
 * The settings panel of the rankings page. Writers only (checked before the form, so a viewer gets
 * 403 whatever they send); field errors use the form's names, also for errors found by the service.
 */
export async function updateResultSettings(
  actor: SessionUser | undefined,
  id: string,
  form: Record<string, unknown>,
): Promise<void> {
  assertCan(actor, 'write');
  const settings = parseSettingsForm(form);
  try {
    await updateAssessment(actor, id, { settings });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      err.fields.map((f) => ({ ...f, path: f.path.replace(/^settings\./, '') })),
      err.message,
    );
  }
}
