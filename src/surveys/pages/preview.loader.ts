import type { SessionUser } from '../../auth/roles';
import { getAssessment } from '../../assessments/services/assessment.service';
import { head } from '../../assessments/pages/page.presenter';
import { localized, translator, type Lang } from '../../shared/i18n';
import { buildQuestionnaire } from '../../responses/questionnaire';
import { introView } from './intro.presenter';
import { paginate } from './pagination';
import { questionPageView } from './question.presenter';

type User = SessionUser | undefined;

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
  // `previewLang`, not `lang`: the page around the preview stays in the staff member's language.
  const base = {
    assessment: head(a, user),
    previewLang: l,
    offered,
    groups: a.groups.map((x) => ({ code: x.code, name: localized(x.name, l).text })),
  };
  if (!g) return { ...base, group: null, intro: null, pages: [] };
  const pages = paginate(buildQuestionnaire(a, g, l));
  const token = 'preview';
  return {
    ...base,
    group: { code: g.code, name: localized(g.name, l).text },
    englishOnly: t('survey.englishOnly'),
    intro: introView({
      t,
      token,
      assessment: a,
      groupName: g.name,
      personal: true,
      pages,
      lang: l,
      resuming: false,
    }),
    pages: pages.map((page) =>
      questionPageView({ t, token, assessment: a, pages, page, lang: l, values: {} }),
    ),
  };
}
