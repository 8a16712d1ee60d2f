import { actorOf } from '../../audit/audit.writer';
import type { SessionUser } from '../../auth/roles';
import { assertCan } from '../../auth/roles';
import { ValidationError } from '../../shared/errors';
import { LANGS, type Lang } from '../../shared/i18n';
import { checkLogo, logoBytes } from '../branding/logo';
import type { Assessment, Branding } from '../model/assessment.types';
import { editAssessment } from './assessment.store';

/** The longest organisation name taken (it sits in the respondent pages' header). */
export const MAX_BRAND_NAME = 120;

export interface BrandingInput {
  /** The name per language; an empty one is removed. */
  name: Partial<Record<Lang, string>>;
  /** A new logo's bytes (unchecked); undefined keeps the stored one. */
  logo?: Buffer;
  /** Removes the stored logo (ignored when a new one is sent). */
  removeLogo?: boolean;
}

/** What the audit entry shows of the branding: the names and the logo's hash, never its bytes. */
const auditView = (b: Branding | undefined) => ({
  name: b?.name ?? {},
  logo: b?.logo
    ? { type: b.logo.type, hash: b.logo.hash, bytes: logoBytes(b.logo.data).length }
    : null,
});

/**
 * Sets the organisation's name and logo shown on respondent pages (analyst or admin). Everything is
 * checked before anything is written, so a refused logo leaves the stored branding as it was.
 * Branding changes nothing respondents answer or any result: it stays editable after the first
 * response and after sign-off. One $set of the whole `branding` field, on the version read.
 */
export async function setBranding(
  actor: SessionUser | undefined,
  id: string,
  input: BrandingInput,
): Promise<Assessment> {
  assertCan(actor, 'write');
  const name: Partial<Record<Lang, string>> = {};
  for (const l of LANGS) {
    const v = (input.name[l] ?? '').trim();
    if (v.length > MAX_BRAND_NAME)
      throw new ValidationError([
        { path: `branding.name.${l}`, message: 'assess.branding.nameTooLong' },
      ]);
    if (v) name[l] = v;
  }
  const logo = input.logo ? checkLogo(input.logo) : undefined;
  const { assessment } = await editAssessment(
    id,
    (a) => {
      const kept = input.removeLogo ? undefined : a.branding?.logo;
      const next: Branding = {};
      if (Object.keys(name).length) next.name = name;
      if (logo ?? kept) next.logo = logo ?? kept;
      const unchanged = JSON.stringify(auditView(a.branding)) === JSON.stringify(auditView(next));
      return {
        set: unchanged ? {} : { branding: next },
        result: undefined,
        audit: { target: 'branding', before: auditView(a.branding), after: auditView(next) },
      };
    },
    {
      whileSignedOff: true,
      audit: { actor: actorOf(actor), action: 'assessment.update', target: 'branding' },
    },
  );
  return assessment;
}
