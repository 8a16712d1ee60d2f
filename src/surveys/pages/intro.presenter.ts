import type { TFunction } from 'i18next';
import type { Assessment } from '../../assessments/model/assessment.types';
import { localized, type Lang } from '../../shared/i18n';
import { surveyPath } from './hrefs';
import type { SurveyPage } from './pagination';

// The view model of the intro page (also shown, read-only, in the staff preview).

export interface IntroInput {
  t: TFunction;
  token: string;
  assessment: Assessment;
  groupName: Partial<Record<Lang, string>>;
  personal: boolean;
  pages: SurveyPage[];
  lang: Lang;
  resuming: boolean;
}

export function introView({
  t,
  token,
  assessment,
  groupName,
  personal,
  pages,
  lang,
  resuming,
}: IntroInput) {
  const text = (src: Partial<Record<Lang, string>> | undefined) => {
    const l = localized(src, lang);
    return { text: l.text, lang: l.missing && lang !== 'en' && l.text ? 'en' : null };
  };
  const topics = new Set(pages.flatMap((p) => p.topics.map((x) => x.code))).size;
  return {
    title: assessment.name,
    assessmentName: assessment.name,
    action: `${surveyPath(token)}/start`,
    group: t('survey.intro.group', { group: localized(groupName, lang).text }),
    intro: text(assessment.settings.intro),
    privacy: text(assessment.settings.privacy),
    // Counted as the progress bar counts them: the question pages and the review page.
    expect: t('survey.intro.expect', { topics, pages: pages.length + 1 }),
    resume: t(personal ? 'survey.intro.resumePersonal' : 'survey.intro.resumeOpen'),
    startLabel: t(resuming ? 'survey.intro.continue' : 'survey.intro.start'),
    lang,
  };
}
