import type { SessionUser } from '../../auth/roles';
import { can } from '../../auth/roles';
import { AppError } from '../../shared/errors';
import { localized, translator, type Lang } from '../../shared/i18n';
import { listLinks } from '../../surveys/link.service';
import { buildQuestionnaire } from '../../surveys/questionnaire';
import { getStats } from '../../surveys/stats.service';
import { introView, paginate, questionPageView } from '../../surveys/survey.presenter';
import { getAssessment, listAssessments } from '../assessment.service';
import { TEMPLATE_CHOICES } from '../assessment.types';
import { writeCsv } from '../csv';
import { groupValues, settingsValues, topicValues } from './form-input';
import {
  groupDetail,
  groupRows,
  head,
  iroRows,
  LINK_CSV_HEADER,
  linkCsvRows,
  linkRows,
  listRows,
  NEXT_STATUS,
  responseRows,
  settingsSummary,
  topicDetail,
  topicRows,
  trackingRows,
  transitionKey,
} from './page.presenter';

// What each page shows: the reads it needs (services check the role), passed through the presenters.

type User = SessionUser | undefined;

export async function listPage(user: User) {
  const list = await listAssessments(user);
  const totals = await Promise.all(list.map(async (a) => (await getStats(a._id, a.groups.map((g) => g.code))).responses.total ?? 0));
  return { rows: listRows(list, totals), canWrite: can(user, 'write'), templates: TEMPLATE_CHOICES };
}

export async function overviewPage(user: User, id: string, lang: Lang) {
  const a = await getAssessment(user, id);
  const stats = await getStats(a._id, a.groups.map((g) => g.code));
  return {
    assessment: head(a, user),
    responses: responseRows(a, stats, lang),
    dataUpdatedAt: +stats.updatedAt > 0 ? new Date(stats.updatedAt).toISOString().slice(0, 16).replace('T', ' ') : null,
    summary: settingsSummary(a, lang),
    values: settingsValues(a),
    transitions: NEXT_STATUS[a.status].map((to) => ({ to, key: transitionKey(a.status, to) })),
  };
}

export async function statusPage(user: User, id: string, to: unknown) {
  const a = await getAssessment(user, id);
  if ((to !== 'open' && to !== 'closed') || !NEXT_STATUS[a.status].includes(to)) {
    throw new AppError(409, 'invalid_transition', 'assess.invalidTransition');
  }
  return { assessment: head(a, user), to, key: transitionKey(a.status, to) };
}

export async function topicsPage(user: User, id: string) {
  const a = await getAssessment(user, id);
  return { assessment: head(a, user), topics: topicRows(a) };
}

export async function topicPage(user: User, id: string, code: string) {
  const a = await getAssessment(user, id);
  const topic = topicDetail(a, code);
  if (!topic) throw new AppError(404, 'not_found', 'assess.noSuchTopic');
  return { assessment: head(a, user), topic, iros: iroRows(a, code), values: topicValues(a.topics.find((t) => t.code === code)) };
}

export async function groupsPage(user: User, id: string) {
  const a = await getAssessment(user, id);
  return { assessment: head(a, user), groups: groupRows(a) };
}

export async function groupPage(user: User, id: string, code: string) {
  const a = await getAssessment(user, id);
  const g = a.groups.find((x) => x.code === code);
  if (!g) throw new AppError(404, 'not_found', 'assess.noSuchGroup');
  return { assessment: head(a, user), group: groupDetail(g), values: groupValues(g) };
}

export async function invitationsPage(user: User, id: string, group: unknown, lang: Lang, publicUrl: string) {
  const a = await getAssessment(user, id);
  const stats = await getStats(a._id, a.groups.map((g) => g.code));
  const links = await listLinks(user, a._id, publicUrl);
  const selected = a.groups.find((g) => g.code === group)?.code ?? a.groups[0]?.code ?? '';
  return {
    assessment: head(a, user),
    groups: a.groups.map((g) => ({ code: g.code, name: localized(g.name, lang).text })),
    selected,
    tracking: trackingRows(a, stats, links, lang),
    links: linkRows(links, selected),
  };
}

export async function linksCsv(user: User, id: string, group: unknown, publicUrl: string) {
  const links = await listLinks(user, id, publicUrl);
  const g = typeof group === 'string' && group ? group : undefined;
  return { csv: writeCsv(LINK_CSV_HEADER, linkCsvRows(links, g)), filename: `invitations${g ? `-${g.replace(/[^A-Za-z0-9_-]/g, '')}` : ''}.csv` };
}

/**
 * What a respondent of the group sees, in `lang` if the assessment offers it: the respondent pages'
 * own presenters (intro, paging, wording of every question) with the preview language's strings.
 */
export async function previewPage(user: User, id: string, group: unknown, lang: unknown) {
  const a = await getAssessment(user, id);
  const offered = a.settings.languages;
  const l: Lang = offered.find((x) => x === lang) ?? offered[0] ?? 'en';
  const g = a.groups.find((x) => x.code === group) ?? a.groups[0];
  const t = translator(l);
  const base = { assessment: head(a, user), lang: l, offered, groups: a.groups.map((x) => ({ code: x.code, name: localized(x.name, l).text })) };
  if (!g) return { ...base, group: null, intro: null, pages: [] };
  const pages = paginate(buildQuestionnaire(a, g, l));
  const token = 'preview';
  return {
    ...base,
    group: { code: g.code, name: localized(g.name, l).text },
    englishOnly: t('survey.englishOnly'),
    intro: introView({ t, token, assessment: a, groupName: g.name, personal: true, pages, lang: l, resuming: false }),
    pages: pages.map((page) => questionPageView({ t, token, assessment: a, pages, page, lang: l, values: {} })),
  };
}
