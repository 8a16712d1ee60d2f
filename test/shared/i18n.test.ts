import type { Express, Request } from 'express';
import request from 'supertest';
import en from '../../src/shared/locales/en';
import zhHans from '../../src/shared/locales/zh-Hans';
import zhHant from '../../src/shared/locales/zh-Hant';
import { Lang, LANGS, localized, normaliseLang, pickLang, translator } from '../../src/shared/i18n';
import { createTestUser, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();

type Tree = { [k: string]: string | Tree };

/** Every leaf as [dotted path, value]; non-string, non-object leaves are reported as such. */
function leaves(obj: Tree, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? leaves(v, p)
      : [[p, v] as [string, unknown]];
  });
}

const LOCALES: Record<Lang, Tree> = { en, 'zh-Hant': zhHant, 'zh-Hans': zhHans };

describe('locales', () => {
  const keys = (l: Lang) =>
    leaves(LOCALES[l])
      .map(([k]) => k)
      .sort();

  it('offers exactly en, zh-Hant and zh-Hans', () => {
    expect([...LANGS].sort()).toEqual(Object.keys(LOCALES).sort());
  });

  it.each(['zh-Hant', 'zh-Hans'] as const)('%s has exactly the keys of en (deep)', (l) => {
    const missing = keys('en').filter((k) => !keys(l).includes(k));
    const extra = keys(l).filter((k) => !keys('en').includes(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(LANGS)('%s has only non-empty strings', (l) => {
    const bad = leaves(LOCALES[l])
      .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
      .map(([k]) => k);
    expect(bad).toEqual([]);
  });

  it.each(['zh-Hant', 'zh-Hans'] as const)('%s keeps the interpolation placeholders of en', (l) => {
    const vars = (s: unknown) =>
      (String(s).match(/{{\s*\w+\s*}}/g) ?? []).map((v) => v.replace(/\s/g, '')).sort();
    const enMap = new Map(leaves(LOCALES.en));
    const wrong = leaves(LOCALES[l])
      .filter(([k, v]) => JSON.stringify(vars(v)) !== JSON.stringify(vars(enMap.get(k))))
      .map(([k]) => k);
    expect(wrong).toEqual([]);
  });

  it.each(['zh-Hant', 'zh-Hans'] as const)(
    '%s is actually translated (mostly differs from en)',
    (l) => {
      const enMap = new Map(leaves(LOCALES.en));
      const all = leaves(LOCALES[l]);
      const same = all.filter(([k, v]) => v === enMap.get(k) && !k.startsWith('lang.'));
      expect(same.length / all.length).toBeLessThan(0.1);
    },
  );

  it('translator interpolates and falls back to en', () => {
    expect(translator('zh-Hant')('login.tooMany', { minutes: 7 })).toContain('7');
    expect(translator('en')('login.tooMany', { minutes: 7 })).toBe(
      'Too many failed attempts. Try again in 7 minutes.',
    );
    expect(translator('zh-Hans')('login.title')).toBe('登录');
  });
});

describe('pickLang', () => {
  const req = (opts: { lang?: unknown; cookie?: string; header?: string }) =>
    ({
      query: opts.lang === undefined ? {} : { lang: opts.lang },
      cookies: opts.cookie === undefined ? {} : { lang: opts.cookie },
      headers: opts.header === undefined ? {} : { 'accept-language': opts.header },
    }) as unknown as Request;

  it.each([
    ['zh-TW', 'zh-Hant'],
    ['zh-HK', 'zh-Hant'],
    ['zh-Hant-TW', 'zh-Hant'],
    ['zh-CN', 'zh-Hans'],
    ['zh-SG', 'zh-Hans'],
    ['zh', 'zh-Hans'],
    ['en-GB', 'en'],
    ['fr, en;q=0.5', 'en'],
    ['fr, zh-TW;q=0.5, en;q=0.3', 'zh-Hant'],
    ['en;q=0.4, zh-CN;q=0.8', 'zh-Hans'],
    ['fr-FR, de', 'en'],
    ['', 'en'],
  ] as const)('Accept-Language %p → %s', (header, lang) => {
    expect(pickLang(req({ header }))).toBe(lang);
  });

  it('with no preference at all picks en', () => {
    expect(pickLang(req({}))).toBe('en');
  });

  it('?lang= beats the cookie, which beats Accept-Language', () => {
    expect(pickLang(req({ lang: 'zh-Hans', cookie: 'zh-Hant', header: 'en' }))).toBe('zh-Hans');
    expect(pickLang(req({ cookie: 'zh-Hant', header: 'zh-CN' }))).toBe('zh-Hant');
    expect(pickLang(req({ header: 'zh-CN' }))).toBe('zh-Hans');
  });

  it('ignores unknown or malformed explicit choices', () => {
    expect(pickLang(req({ lang: 'fr', cookie: 'zh-Hant' }))).toBe('zh-Hant');
    expect(pickLang(req({ lang: ['zh-Hans'], header: 'zh-TW' }))).toBe('zh-Hant');
    expect(pickLang(req({ cookie: 'klingon', header: 'zh-CN' }))).toBe('zh-Hans');
  });

  it('only picks from the offered languages', () => {
    expect(pickLang(req({ lang: 'zh-Hant' }), ['en', 'zh-Hans'])).toBe('en');
    expect(pickLang(req({ header: 'zh-TW, zh-CN;q=0.5' }), ['en', 'zh-Hans'])).toBe('zh-Hans');
    expect(pickLang(req({}), ['zh-Hans'])).toBe('zh-Hans');
  });

  it('normaliseLang maps tags case-insensitively and rejects others', () => {
    expect(normaliseLang('ZH-tw')).toBe('zh-Hant');
    expect(normaliseLang('zh-hans-cn')).toBe('zh-Hans');
    expect(normaliseLang('EN')).toBe('en');
    expect(normaliseLang('ja')).toBeUndefined();
    expect(normaliseLang('english')).toBeUndefined();
  });
});

describe('localized', () => {
  it('returns the wanted language when present', () => {
    expect(localized({ en: 'Water', 'zh-Hant': '水資源' }, 'zh-Hant')).toEqual({
      text: '水資源',
      missing: false,
    });
  });

  it('falls back to en and flags it as missing', () => {
    expect(localized({ en: 'Water' }, 'zh-Hans')).toEqual({ text: 'Water', missing: true });
    expect(localized({ en: 'Water', 'zh-Hans': '   ' }, 'zh-Hans')).toEqual({
      text: 'Water',
      missing: true,
    });
  });

  it('falls back to any language when en is missing too', () => {
    expect(localized({ 'zh-Hant': '水資源' }, 'en')).toEqual({ text: '水資源', missing: true });
  });

  it('gives an empty, missing text for nothing', () => {
    expect(localized(undefined, 'en')).toEqual({ text: '', missing: true });
    expect(localized({}, 'zh-Hant')).toEqual({ text: '', missing: true });
  });
});

describe('pages', () => {
  let app: Express;
  beforeAll(async () => {
    await createTestUser('admin'); // so that /login is not sent to /setup
    app = makeApp();
  });

  it('renders the login page in zh-Hant for Accept-Language: zh-HK', async () => {
    const res = await request(app).get('/login').set('Accept-Language', 'zh-HK');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="zh-Hant">');
    expect(res.text).toContain('登入');
    expect(res.text).not.toContain('登录');
  });

  it('renders it in zh-Hans for ?lang=zh-Hans and remembers the choice in a cookie', async () => {
    const agent = request.agent(app);
    const res = await agent.get('/login?lang=zh-Hans').set('Accept-Language', 'en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="zh-Hans">');
    expect(res.text).toContain('登录');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('lang='),
    );
    expect(cookie).toMatch(/^lang=zh-Hans;/);

    const next = await agent.get('/login').set('Accept-Language', 'en');
    expect(next.text).toContain('<html lang="zh-Hans">');
  });

  it('renders it in en by default', async () => {
    const res = await request(app).get('/login');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Log in');
  });
});
