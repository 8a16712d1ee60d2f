import type { SessionUser } from '../auth/roles';
import { can } from '../auth/roles';
import { TEMPLATE_CHOICES } from '../assessments/model/assessment.types';
import { canTransition } from '../assessments/model/lookups';
import { settingsValues } from '../assessments/pages/form-input';
import { head } from '../assessments/pages/page.presenter';
import { getAssessment, listAssessments } from '../assessments/services/assessment.service';
import { getResults } from '../results/results.service';
import { settingsFormValues } from '../results/settings-form';
import { responsesByDay } from '../results/tallies/day-key';
import { getStats } from '../results/tallies/tally.service';
import { dict } from '../scoring';
import { AppError } from '../shared/errors';
import { localized, type Lang } from '../shared/i18n';
import { formatInZone, serverTimeZone } from '../shared/time';
import { brandingForm } from './branding.form';
import { dayBars, progressRows, steps } from './dashboard.presenter';
import { listRows, settingsSummary, transitionKey, transitionRows } from './overview.presenter';

// What the assessments list and an assessment's overview show: the reads they need (services
// check the role), passed through the presenters.

type User = SessionUser | undefined;

export async function listPage(user: User) {
  const list = await listAssessments(user);
  const totals = await Promise.all(
    list.map(
      async (a) =>
        (
          await getStats(
            a._id,
            a.groups.map((g) => g.code),
          )
        ).responses.total ?? 0,
    ),
  );
  return {
    rows: listRows(list, totals),
    canWrite: can(user, 'write'),
    templates: TEMPLATE_CHOICES,
  };
}

/** The dashboard: steps, responses against targets and by day, material topics, the matrix. */
export async function overviewPage(user: User, id: string, lang: Lang, now = new Date()) {
  const a = await getAssessment(user, id);
  const codes = a.groups.map((g) => g.code);
  const [results, days] = await Promise.all([getResults(user, a), responsesByDay(a._id, codes)]);
  const total = results.responses.total;
  const s = results.settings;
  return {
    assessment: head(a, user),
    ...steps(a, total),
    progress: progressRows(a, results.responses.byGroup, lang),
    days: dayBars(days, { today: now.toISOString().slice(0, 10), open: a.status === 'open' }),
    dataUpdatedAt: results.dataUpdatedAt
      ? formatInZone(results.dataUpdatedAt, a.settings.timeZone)
      : null,
    material: {
      count: results.topics.filter((t) => t.material).length,
      total: results.topics.length,
      thresholds: s.thresholds,
      rule: s.rule,
      scored: total > 0,
    },
    matrixSvg: `/assessments/${a._id}/matrix.svg?lang=${lang}&labels=0`,
    transitions: transitionRows(a.status),
  };
}

/**
 * The Settings tab: the questionnaire settings and the scoring settings (thresholds, rule, weights,
 * ranking method) of one assessment. `scoring` carries what was posted after a refused save.
 */
export async function settingsPage(
  user: User,
  id: string,
  lang: Lang,
  scoring: { errors?: Record<string, string>; posted?: Record<string, unknown> } = {},
  branding: { errors?: Record<string, string>; posted?: Record<string, string | string[]> } = {},
) {
  const a = await getAssessment(user, id);
  const weights = dict<number>();
  for (const g of a.groups) weights[g.code] = g.weight;
  return {
    assessment: head(a, user),
    summary: settingsSummary(a, lang),
    values: settingsValues(a),
    serverZone: serverTimeZone(),
    branding: brandingForm(a, branding.posted, branding.errors),
    scoring: {
      canWrite: can(user, 'write'),
      settingsAction: `/assessments/${a._id}/settings/scoring`,
      values: settingsFormValues({ ...a.settings, weights }, scoring.posted),
      errors: scoring.errors ?? {},
      settings: a.settings,
      weightGroups: a.groups.map((g) => ({
        code: g.code,
        name: localized(g.name, lang).text || g.code,
        weight: g.weight,
      })),
    },
  };
}

/** The confirmation page of a status change; `to` comes from the query string. */
export async function statusPage(user: User, id: string, to: unknown) {
  const a = await getAssessment(user, id);
  const target = typeof to === 'string' ? to : '';
  if (!canTransition(a.status, target))
    throw new AppError(409, 'invalid_transition', 'assess.invalidTransition');
  return { assessment: head(a, user), to: target, key: transitionKey(a.status, target) };
}
