import type { TFunction } from 'i18next';
import { ownValue } from '../../scoring';
import type { AppError } from '../../shared/errors';

// The plain pages a respondent sees instead of a questionnaire page: the thanks after a submission,
// and the message for a link that cannot be used, without the staff error page's links.

const MESSAGE_TITLES: Readonly<Record<string, string>> = {
  not_found: 'survey.unknownTitle',
  assessment_not_open: 'survey.closedTitle',
  assessment_signed_off: 'survey.closedTitle',
  already_submitted: 'survey.alreadyTitle',
  rate_limited: 'survey.tooManyTitle',
};

export interface MessagePage {
  status: number;
  model: { title: string; message: string; assessmentName: string | null };
}

/**
 * The message page for an unknown link, a closed survey, a used personal link or too many
 * submissions; null for any other error (the central handler answers it).
 */
export function messagePage(
  t: TFunction,
  err: AppError,
  method: string,
  assessmentName: string | null,
): MessagePage | null {
  const title = ownValue(MESSAGE_TITLES, err.code);
  if (!title) return null;
  // A used personal link is a normal state to look at (200); re-posting to it is a conflict (409).
  const status = err.code === 'already_submitted' && method === 'GET' ? 200 : err.status;
  const message = err.status === 404 ? 'survey.unknownLink' : err.message;
  return { status, model: { title: t(title), message: t(message), assessmentName } };
}

export const thanksView = (t: TFunction, assessmentName: string) => ({
  title: t('survey.thanks.title'),
  assessmentName,
});
