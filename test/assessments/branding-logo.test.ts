import { ValidationError } from '../../src/shared/errors';
import {
  brandName,
  checkLogo,
  MAX_LOGO_BYTES,
  sniffLogoType,
} from '../../src/assessments/branding/logo';

const png = (size = 64) =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(size),
  ]);
const jpeg = (size = 64) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size)]);

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).fields;
  }
  throw new Error('not refused');
};

describe('organisation logo check', () => {
  it('takes PNG and JPEG by their bytes, with a content hash', () => {
    expect(checkLogo(png()).type).toBe('image/png');
    expect(checkLogo(jpeg()).type).toBe('image/jpeg');
    const a = checkLogo(png()).hash;
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(checkLogo(png()).hash).toBe(a);
    expect(checkLogo(png(65)).hash).not.toBe(a);
  });

  it('refuses SVG, HTML and other files whatever they claim to be', () => {
    for (const bytes of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<?xml version="1.0"?><svg/>',
      '<html><body>x</body></html>',
      'GIF89a......',
      '\x89PNG', // a truncated signature
    ]) {
      expect(sniffLogoType(Buffer.from(bytes, 'latin1'))).toBeUndefined();
      expect(refusal(() => checkLogo(Buffer.from(bytes, 'latin1')))).toEqual([
        { path: 'logo', message: 'assess.branding.logoType' },
      ]);
    }
  });

  it('refuses an empty file and one over 200 KB (200 KB itself is taken)', () => {
    expect(refusal(() => checkLogo(undefined))[0]!.message).toBe('assess.branding.logoMissing');
    expect(refusal(() => checkLogo(Buffer.alloc(0)))[0]!.message).toBe(
      'assess.branding.logoMissing',
    );
    expect(checkLogo(png(MAX_LOGO_BYTES - 8)).data.length).toBe(MAX_LOGO_BYTES);
    expect(refusal(() => checkLogo(png(MAX_LOGO_BYTES - 7)))[0]!.message).toBe(
      'assess.branding.logoTooLarge',
    );
  });
});

describe('organisation name', () => {
  it('is the language’s own, else English, else none', () => {
    const name = { en: 'Acme Ltd', 'zh-Hant': '艾克米有限公司', 'zh-Hans': ' ' };
    expect(brandName(name, 'zh-Hant')).toBe('艾克米有限公司');
    expect(brandName(name, 'zh-Hans')).toBe('Acme Ltd');
    expect(brandName(name, 'en')).toBe('Acme Ltd');
    expect(brandName({}, 'en')).toBeUndefined();
    expect(brandName(undefined, 'zh-Hant')).toBeUndefined();
  });
});
