import type { Lang } from '../i18n';

/** A feature's strings in the three languages, mounted under `namespace` in the translation tree. */
export interface LocaleBundle {
  namespace: string;
  en: Record<string, unknown>;
  'zh-Hant': Record<string, unknown>;
  'zh-Hans': Record<string, unknown>;
}

export function mergeBundles(core: Record<Lang, Record<string, unknown>>, bundles: LocaleBundle[]) {
  const out = {} as Record<Lang, Record<string, unknown>>;
  for (const lang of Object.keys(core) as Lang[]) {
    out[lang] = { ...core[lang] };
    for (const b of bundles) out[lang][b.namespace] = b[lang];
  }
  return out;
}
