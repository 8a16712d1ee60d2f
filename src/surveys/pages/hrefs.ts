import type { Lang } from '../../shared/i18n';

// Where the respondent pages link and post to, all under /s/:token.

export const surveyPath = (token: string) => `/s/${encodeURIComponent(token)}`;
export const pageHref = (token: string, page: number, lang?: Lang) =>
  `${surveyPath(token)}?page=${page}${lang ? `&lang=${lang}` : ''}`;
/** `?page=0` is the intro even when a draft exists (a bare link resumes instead). */
export const introHref = (token: string) => `${surveyPath(token)}?page=0`;
export const reviewHref = (token: string) => `${surveyPath(token)}/review`;
export const thanksHref = (token: string, lang: Lang) => `${surveyPath(token)}/thanks?lang=${lang}`;

/** An HTML id for a field key (the same rule as views/partials/error-summary.ejs). */
export const fieldId = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '-');
