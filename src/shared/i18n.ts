import i18next, { TFunction } from 'i18next';
import type { NextFunction, Request, Response } from 'express';
import en from './locales/en';
import zhHant from './locales/zh-Hant';
import zhHans from './locales/zh-Hans';
import type { LocaleBundle } from './locales/bundles';

export const LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_COOKIE = 'lang';

const CORE = { en, 'zh-Hant': zhHant, 'zh-Hans': zhHans };

const instance = i18next.createInstance();
void instance.init({
  initImmediate: false,
  resources: {
    en: { translation: CORE.en },
    'zh-Hant': { translation: CORE['zh-Hant'] },
    'zh-Hans': { translation: CORE['zh-Hans'] },
  },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LANGS],
  interpolation: { escapeValue: false }, // EJS escapes on output
  returnNull: false,
} as Parameters<typeof instance.init>[0]);

const registered = new Set<LocaleBundle>();

/**
 * Features hand their strings to i18n when the app (or the CLI) is built, so that `shared/` imports
 * no feature. A bundle is mounted under its namespace; registering it again changes nothing.
 */
export function registerBundles(bundles: readonly LocaleBundle[]): void {
  for (const b of bundles) {
    if (registered.has(b)) continue;
    for (const lang of LANGS)
      instance.addResourceBundle(lang, 'translation', { [b.namespace]: b[lang] }, true, true);
    registered.add(b);
  }
}

/** The bundles registered so far (tests check that each feature's bundle is among them). */
export const registeredBundles = (): LocaleBundle[] => [...registered];

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

export function translator(lang: Lang): TFunction {
  return instance.getFixedT(lang);
}

/** Maps any BCP 47 tag to one of our three languages, or undefined. */
export function normaliseLang(tag: string): Lang | undefined {
  const t = tag.toLowerCase();
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (/^zh-(hant|tw|hk|mo)/.test(t)) return 'zh-Hant';
  if (t === 'zh' || /^zh-(hans|cn|sg|my)/.test(t)) return 'zh-Hans';
  return undefined;
}

/** Picks from `offered`: explicit choice, then the language cookie, then Accept-Language, then the first offered. */
export function pickLang(req: Request, offered: readonly Lang[] = LANGS): Lang {
  const explicit = [req.query?.lang, req.cookies?.[LANG_COOKIE]];
  for (const c of explicit) if (isLang(c) && offered.includes(c)) return c;
  const header = req.headers['accept-language'];
  if (typeof header === 'string') {
    const tags = header
      .split(',')
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .sort((a, b) => b.q - a.q);
    for (const { tag } of tags) {
      const l = normaliseLang(tag);
      if (l && offered.includes(l)) return l;
    }
  }
  return offered[0] ?? 'en';
}

/** Sets req.lang, res.locals.t/lang; `?lang=` remembers the choice in a cookie. */
export function i18nMiddleware(req: Request, res: Response, next: NextFunction) {
  const lang = pickLang(req);
  if (isLang(req.query.lang)) {
    res.cookie(LANG_COOKIE, lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 864e5 });
  }
  setLang(req, res, lang);
  next();
}

export function setLang(req: Request, res: Response, lang: Lang) {
  req.lang = lang;
  res.locals.lang = lang;
  res.locals.t = translator(lang);
}

/** A localized text in the wanted language, falling back to en, then any; `missing` tells the UI to mark it. */
export function localized(
  text: Partial<Record<Lang, string>> | undefined,
  lang: Lang,
): { text: string; missing: boolean } {
  const wanted = text?.[lang]?.trim();
  if (wanted) return { text: wanted, missing: false };
  const fallback = text?.en?.trim() || LANGS.map((l) => text?.[l]?.trim()).find(Boolean) || '';
  return { text: fallback, missing: true };
}
