import type { LocaleBundle } from '../shared/locales/bundles';

// Strings of invitation links (namespace `links`).
const en = { countRequired: 'Give a number of links or a list of invitees.', notFound: 'No such link.' };
const zhHant: typeof en = { countRequired: '請輸入連結數目或受邀者名單。', notFound: '找不到此連結。' };
const zhHans: typeof en = { countRequired: '请输入链接数量或受邀者名单。', notFound: '找不到此链接。' };

export const linkLocales: LocaleBundle = { namespace: 'links', en, 'zh-Hant': zhHant, 'zh-Hans': zhHans };
