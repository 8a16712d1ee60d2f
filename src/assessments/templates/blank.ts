import type { Template } from './types';

/** An empty assessment: topics and groups are added by hand. */
export const blankTemplate: Template = {
  id: 'blank',
  name: { en: 'Blank', 'zh-Hant': '空白', 'zh-Hans': '空白' },
  topics: [],
  groups: [],
};
