import crypto from 'node:crypto';
import { ValidationError } from '../../shared/errors';
import { LANGS, type Lang } from '../../shared/i18n';

/** The largest organisation logo taken (it is stored in the database and sent with every respondent page). */
export const MAX_LOGO_BYTES = 200 * 1024;

export type LogoType = 'image/png' | 'image/jpeg';

/** A checked logo: its bytes, the type its bytes prove, and a content hash for a cacheable URL. */
export type Logo = { data: Buffer; type: LogoType; hash: string };

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The type a file's first bytes prove, whatever its name or declared type says. Only PNG and JPEG:
 * SVG can carry script, and a file that merely claims to be an image is refused.
 */
export function sniffLogoType(data: Buffer): LogoType | undefined {
  if (data.length > PNG.length && data.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (data.length > JPEG.length && data.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  return undefined;
}

/** Checks an uploaded logo (field `logo`): PNG or JPEG by magic bytes, at most MAX_LOGO_BYTES. */
export function checkLogo(data: Buffer | undefined): Logo {
  const refuse = (message: string) => new ValidationError([{ path: 'logo', message }]);
  if (!data || data.length === 0) throw refuse('assess.branding.logoMissing');
  if (data.length > MAX_LOGO_BYTES) throw refuse('assess.branding.logoTooLarge');
  const type = sniffLogoType(data);
  if (!type) throw refuse('assess.branding.logoType');
  const hash = crypto.createHash('sha256').update(data).digest('base64url').slice(0, 16);
  return { data, type, hash };
}

/** The organisation's name in a language, falling back to English; undefined when none is set. */
export function brandName(
  name: Partial<Record<Lang, string>> | undefined,
  lang: Lang,
): string | undefined {
  const pick = (l: Lang) => name?.[l]?.trim() || undefined;
  return LANGS.includes(lang) ? (pick(lang) ?? pick('en')) : pick('en');
}

/**
 * A stored logo's bytes as a Buffer: a lean read gives the driver's Binary, not a Buffer.
 * (BSON's Binary holds its bytes in `buffer`, of which the first `position` are used.)
 */
export function logoBytes(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const bin = data as { buffer?: unknown; position?: number } | null;
  if (bin && bin.buffer instanceof Uint8Array) {
    const u = bin.buffer;
    return Buffer.from(u.buffer, u.byteOffset, bin.position ?? u.length);
  }
  return Buffer.alloc(0);
}
