import type { Assessment } from '../assessments/model/assessment.types';
import { ownValue } from '../scoring';
import { localized, type Lang } from '../shared/i18n';

// Pure functions from an assessment, its results and its per-day counters to the dashboard.

export type StepKey = 'setup' | 'collect' | 'score' | 'review' | 'report';
export type StepState = 'done' | 'current' | 'todo';

export interface Step {
  key: StepKey;
  state: StepState;
  href: string;
}

/** What to do next: a message key of `overview.steps` and where to do it. */
export interface Next {
  what: string;
  href: string;
}

/** Topics and at least one group that answers a questionnaire: the assessment can be opened. */
export const readyToOpen = (a: Pick<Assessment, 'topics' | 'groups'>) =>
  a.topics.length > 0 && a.groups.some((g) => g.instruments.length > 0);

/**
 * The five steps set up → collect → score → review → report and the next thing to do. The status
 * drives them (draft: set up; open: collect, scoring runs alongside; closed: review; approved:
 * report); scoring is never "done" before sign-off, because settings can change until then.
 */
export function steps(
  a: Pick<Assessment, '_id' | 'status' | 'topics' | 'groups'>,
  responses: number,
): { steps: Step[]; next: Next | null } {
  const base = `/assessments/${a._id}`;
  const s = a.status;
  const collected = s === 'closed' || s === 'approved';
  const state = (done: boolean, current: boolean): StepState =>
    done ? 'done' : current ? 'current' : 'todo';
  const list: Step[] = [
    { key: 'setup', state: state(s !== 'draft', s === 'draft'), href: `${base}/topics` },
    { key: 'collect', state: state(collected, s === 'open'), href: `${base}/invitations` },
    {
      key: 'score',
      state: state(s === 'approved', s !== 'draft' && responses > 0),
      href: `${base}/rankings`,
    },
    { key: 'review', state: state(s === 'approved', s === 'closed'), href: `${base}/review` },
    { key: 'report', state: state(false, s === 'approved'), href: `${base}/exports` },
  ];
  const next: Next =
    s === 'draft'
      ? readyToOpen(a)
        ? { what: 'setupOpen', href: `${base}/status?to=open` }
        : { what: 'setupTodo', href: `${base}/topics` }
      : s === 'open'
        ? responses === 0
          ? { what: 'collectTodo', href: `${base}/invitations` }
          : { what: 'collectClose', href: `${base}/status?to=closed` }
        : s === 'closed'
          ? { what: 'reviewTodo', href: `${base}/review` }
          : { what: 'reportTodo', href: `${base}/exports` };
  return { steps: list, next };
}

export interface ProgressRow {
  code: string;
  name: string;
  responses: number;
  target: number;
  /** 0..100 for the bar's width; null without a target */
  percent: number | null;
}

/** Responses per group against its target, for progress bars (over 100 % is shown full). */
export function progressRows(
  a: Pick<Assessment, 'groups'>,
  byGroup: Record<string, number>,
  lang: Lang,
): { rows: ProgressRow[]; total: number; target: number; percent: number | null } {
  const rows = a.groups.map((g) => {
    const n = ownValue(byGroup, g.code) ?? 0;
    return {
      code: g.code,
      name: localized(g.name, lang).text || g.code,
      responses: n,
      target: g.targetResponses,
      percent:
        g.targetResponses > 0 ? Math.min(100, Math.round((100 * n) / g.targetResponses)) : null,
    };
  });
  const total = rows.reduce((s, r) => s + r.responses, 0);
  const target = rows.reduce((s, r) => s + r.target, 0);
  return {
    rows,
    total,
    target,
    percent: target > 0 ? Math.min(100, Math.round((100 * total) / target)) : null,
  };
}

export interface DayBar {
  day: string;
  n: number;
  /** position and height in the chart's 0..100 × 0..40 box */
  x: number;
  width: number;
  height: number;
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);

/**
 * A bar per day from the first day with responses (at most `span` days back) to the last one, or to
 * `today` while the assessment is open; days without responses are zero bars.
 */
export function dayBars(
  days: Map<string, number>,
  opts: { today: string; open: boolean; span?: number },
): { bars: DayBar[]; max: number } {
  const span = opts.span ?? 30;
  const known = [...days.keys()].sort();
  const lastKnown = known.at(-1);
  if (lastKnown === undefined) return { bars: [], max: 0 };
  const end = opts.open && opts.today > lastKnown ? opts.today : lastKnown;
  const firstKnown = known[0] ?? end;
  const earliest = addDays(end, -(span - 1));
  const start = firstKnown > earliest ? firstKnown : earliest;
  const list: string[] = [];
  for (let d = start; d <= end && list.length < span; d = addDays(d, 1)) list.push(d);
  const max = Math.max(1, ...list.map((d) => days.get(d) ?? 0));
  const width = 100 / list.length;
  return {
    bars: list.map((day, i) => {
      const n = days.get(day) ?? 0;
      return { day, n, x: i * width, width, height: (40 * n) / max };
    }),
    max,
  };
}
