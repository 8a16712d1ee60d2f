import { translator } from '../../src/shared/i18n';
import { brandView } from '../../src/surveys/pages/brand';

// The respondent header's organisation: the name in the page's language with the English fallback,
// the logo's alt text in that language, nothing at all without branding.

const logo = { data: Buffer.from('x'), type: 'image/png' as const, hash: 'abc' };

describe('brandView', () => {
  it('falls back to the English name and says "logo" in the page language', () => {
    const v = brandView(
      translator('zh-Hans'),
      { _id: 'a1', branding: { name: { en: 'Acme' }, logo } },
      'zh-Hans',
    );
    expect(v).toEqual({ name: 'Acme', logo: { src: '/s/logo/a1/abc', alt: 'Acme标志' } });
  });

  it('names an unnamed logo generically, and is undefined without branding', () => {
    expect(brandView(translator('zh-Hant'), { _id: 'a1', branding: { logo } }, 'zh-Hant')).toEqual({
      name: undefined,
      logo: { src: '/s/logo/a1/abc', alt: '機構標誌' },
    });
    expect(brandView(translator('en'), { _id: 'a1' }, 'en')).toBeUndefined();
    expect(
      brandView(translator('en'), { _id: 'a1', branding: { name: { en: '  ' } } }, 'en'),
    ).toBeUndefined();
    expect(brandView(translator('en'), undefined, 'en')).toBeUndefined();
  });
});
