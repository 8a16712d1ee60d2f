import { brandName } from '../../assessments/branding/logo';
import type { Assessment } from '../../assessments/model/assessment.types';
import type { TFunction } from 'i18next';
import type { Lang } from '../../shared/i18n';

/** Where an assessment's logo is served: the content hash in the path lets browsers keep it for a year. */
export const logoPath = (assessmentId: string, hash: string) => `/s/logo/${assessmentId}/${hash}`;

export interface BrandView {
  name?: string;
  logo?: { src: string; alt: string };
}

/**
 * The organisation in a respondent page's header, in the page's language (English when that
 * language has no name); undefined when the assessment has no branding (the product's name shows).
 */
export function brandView(
  t: TFunction,
  a: Pick<Assessment, '_id' | 'branding'> | undefined,
  lang: Lang,
): BrandView | undefined {
  const name = brandName(a?.branding?.name, lang);
  const logo = a?.branding?.logo;
  if (!a || (!name && !logo)) return undefined;
  return {
    name,
    logo: logo && {
      src: logoPath(a._id, logo.hash),
      alt: name ? t('survey.brand.logoAlt', { name }) : t('survey.brand.logoAltUnnamed'),
    },
  };
}
