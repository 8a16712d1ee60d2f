/** A feature's strings in the three languages, mounted under `namespace` in the translation tree. */
export interface LocaleBundle {
  namespace: string;
  en: Record<string, unknown>;
  'zh-Hant': Record<string, unknown>;
  'zh-Hans': Record<string, unknown>;
}
