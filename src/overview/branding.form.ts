import type { Request } from 'express';
import type { Assessment } from '../assessments/model/assessment.types';
import type { BrandingInput } from '../assessments/services/branding.service';
import { ValidationError } from '../shared/errors';
import { lastValue, type FormValues } from '../shared/form';
import { LANGS } from '../shared/i18n';
import { uploadedFile } from '../shared/multipart';
import { logoPath } from '../surveys/pages/brand';

// The "Organisation on the questionnaire" form of the Settings tab: a multipart body (the logo is
// field `file`, as parseMultipart reads it) with one name per language and a "remove logo" box.
// Field names carry no dots: the multipart parser would read `a.b` as nested fields.

export const nameField = (l: string) => `orgName_${l}`;

const logoError = (message: string) => new ValidationError([{ path: 'logo', message }], message);

/** Reads the form; an upload the parser refused is a 422 on the logo, before anything is stored. */
export function readBranding(req: Request): Promise<BrandingInput> {
  const { file, problem } = uploadedFile(req);
  if (problem === 'tooLarge') return Promise.reject(logoError('assess.branding.logoTooLarge'));
  if (problem) return Promise.reject(logoError('assess.import.badUpload'));
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Promise.resolve({
    name: Object.fromEntries(LANGS.map((l) => [l, lastValue(body[nameField(l)])])),
    logo: file && file.size > 0 ? file.buffer : undefined,
    removeLogo: lastValue(body.removeLogo) === '1',
  });
}

/** The service's field paths (`branding.name.<lang>`) as the form's field names. */
export function brandingErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors))
    out[path.replace(/^branding\.name\./, 'orgName_')] = message;
  return out;
}

/** What the form shows: the stored names (or the posted ones after a refusal) and the current logo. */
export function brandingForm(
  a: Pick<Assessment, '_id' | 'branding'>,
  posted?: FormValues,
  errors: Record<string, string> = {},
) {
  const values: FormValues = {};
  for (const l of LANGS)
    values[nameField(l)] = posted ? lastValue(posted[nameField(l)]) : (a.branding?.name?.[l] ?? '');
  const logo = a.branding?.logo;
  return {
    action: `/assessments/${a._id}/settings/branding`,
    values,
    errors,
    logoSrc: logo ? logoPath(a._id, logo.hash) : null,
  };
}
