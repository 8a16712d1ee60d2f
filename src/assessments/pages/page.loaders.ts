import type { SessionUser } from '../../auth/roles';
import { AppError } from '../../shared/errors';
import type { Lang } from '../../shared/i18n';
import { getAssessment } from '../services/assessment.service';
import { groupValues, topicValues } from './form-input';
import { groupDetail, groupRows, head, iroRows, topicDetail, topicRows } from './page.presenter';

// What each page shows: the reads it needs (services check the role), passed through the presenters.

type User = SessionUser | undefined;

export async function topicsPage(user: User, id: string, lang: Lang = 'en') {
  const a = await getAssessment(user, id);
  return { assessment: head(a, user), topics: topicRows(a, lang) };
}

export async function topicPage(user: User, id: string, code: string, lang: Lang = 'en') {
  const a = await getAssessment(user, id);
  const topic = topicDetail(a, code, lang);
  if (!topic) throw new AppError(404, 'not_found', 'assess.noSuchTopic');
  return {
    assessment: head(a, user),
    topic,
    iros: iroRows(a, code),
    values: topicValues(a.topics.find((t) => t.code === code)),
  };
}

export async function groupsPage(user: User, id: string, lang: Lang = 'en') {
  const a = await getAssessment(user, id);
  return { assessment: head(a, user), groups: groupRows(a, lang) };
}

export async function groupPage(user: User, id: string, code: string, lang: Lang = 'en') {
  const a = await getAssessment(user, id);
  const g = a.groups.find((x) => x.code === code);
  if (!g) throw new AppError(404, 'not_found', 'assess.noSuchGroup');
  return { assessment: head(a, user), group: groupDetail(g, lang), values: groupValues(g) };
}
