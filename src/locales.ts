import { assessLocales } from './assessments/assess.locales';
import { exportLocales } from './exports/export.locales';
import { matrixLocales } from './results/matrix.locales';
import { resultsLocales } from './results/results.locales';
import { registerBundles } from './shared/i18n';
import { auditLocales } from './audit/audit.locales';
import { reviewLocales } from './review/review.locales';
import { appendixLocales } from './review/appendix/appendix.locales';
import { linkLocales } from './invitations/link.locales';
import { surveyLocales } from './surveys/survey.locales';
import { mailLocales } from './mail/mail.locales';
import { overviewLocales } from './overview/overview.locales';
import { analyticsLocales } from './analytics/analytics.locales';
import { sheetLocales } from './review/sheets.locales';

/** Every feature's strings; each bundle lives beside its feature. */
export const BUNDLES = [
  assessLocales,
  surveyLocales,
  linkLocales,
  exportLocales,
  resultsLocales,
  auditLocales,
  reviewLocales,
  appendixLocales,
  matrixLocales,
  mailLocales,
  overviewLocales,
  analyticsLocales,
  sheetLocales,
];

/** Hands the features' strings to i18n; createApp and the CLI call it before anything is rendered. */
export function registerLocales(): void {
  registerBundles(BUNDLES);
}
