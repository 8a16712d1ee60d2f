import type { LocaleBundle } from '../shared/locales/bundles';

// Strings of the audit log (namespace `audit`).
const en = {
  unavailable:
    'The change was not saved because its audit entry could not be written. Please try again.',
};
const zhHant = { unavailable: '由於無法寫入稽核紀錄，變更未有儲存。請再試一次。' };
const zhHans = { unavailable: '由于无法写入审计记录，更改未保存。请重试。' };

export const auditLocales: LocaleBundle = {
  namespace: 'audit',
  en,
  'zh-Hant': zhHant,
  'zh-Hans': zhHans,
};
