import type { SessionUser } from '../auth/roles';
import { can } from '../auth/roles';
import { TEMPLATE_CHOICES } from '../assessments/model/assessment.types';
import { canTransition } from '../assessments/model/lookups';
import { settingsValues } from '../assessments/pages/form-input';
import { head } from '../assessments/pages/page.presenter';
import { getAssessment, listAssessments } from '../assessments/services/assessment.service';
import { getStats } from '../results/tallies/tally.service';
import { AppError } from '../shared/errors';
import type { Lang } from '../shared/i18n';
import {
  dataUpdatedAt,
  listRows,
  responseRows,
  settingsSummary,
  transitionKey,
  transitionRows,
} from './overview.presenter';

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

export async function overviewPage(user: User, id: string, lang: Lang) {
  const a = await getAssessment(user, id);
  const stats = await getStats(
    a._id,
    a.groups.map((g) => g.code),
  );
  return {
    assessment: head(a, user),
    responses: responseRows(a, stats, lang),
    dataUpdatedAt: dataUpdatedAt(stats.updatedAt),
    summary: settingsSummary(a, lang),
    values: settingsValues(a),
    transitions: transitionRows(a.status),
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
