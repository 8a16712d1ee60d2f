import type { LocaleBundle } from '../shared/locales/bundles';

// Strings of the assessment set-up pages and services (namespace `assess`).
const en = {
  notFound: 'No such assessment.',
  lockedMessage: 'This assessment already has responses: topics, stakeholder groups and questionnaire modes can no longer be changed. Thresholds, rule, weights and ranking method can still change.',
  invalidTransition: 'This status change is not allowed.',
  notReady: 'Add at least one topic and one stakeholder group with a questionnaire before opening.',
  duplicateTopic: 'A topic with this code already exists.',
  duplicateGroup: 'A stakeholder group with this code already exists.',
  noSuchTopic: 'No such topic.',
  noSuchGroup: 'No such stakeholder group.',
  noSuchIro: 'No such entry.',
  unknownGroup: 'No stakeholder group has this code.',
  importEmpty: 'The file has no rows.',
  importFailed: 'Nothing was imported: some rows are not valid.',
};

const zhHant: typeof en = {
  notFound: '找不到此評估。',
  lockedMessage: '此評估已有回覆：議題、持份者組別及問卷模式不可再更改；門檻、規則、權重及排序方法仍可更改。',
  invalidTransition: '不允許此狀態變更。',
  notReady: '開放前請最少加入一個議題，以及一個設有問卷的持份者組別。',
  duplicateTopic: '已有使用此代碼的議題。',
  duplicateGroup: '已有使用此代碼的持份者組別。',
  noSuchTopic: '找不到此議題。',
  noSuchGroup: '找不到此持份者組別。',
  noSuchIro: '找不到此項目。',
  unknownGroup: '沒有持份者組別使用此代碼。',
  importEmpty: '檔案沒有資料列。',
  importFailed: '未有匯入任何資料：部分資料列無效。',
};

const zhHans: typeof en = {
  notFound: '找不到此评估。',
  lockedMessage: '此评估已有回复：议题、利益相关方组别及问卷模式不可再修改；阈值、规则、权重及排序方法仍可修改。',
  invalidTransition: '不允许此状态变更。',
  notReady: '开放前请至少添加一个议题，以及一个设有问卷的利益相关方组别。',
  duplicateTopic: '已有使用此代码的议题。',
  duplicateGroup: '已有使用此代码的利益相关方组别。',
  noSuchTopic: '找不到此议题。',
  noSuchGroup: '找不到此利益相关方组别。',
  noSuchIro: '找不到此项目。',
  unknownGroup: '没有利益相关方组别使用此代码。',
  importEmpty: '文件没有数据行。',
  importFailed: '未导入任何数据：部分数据行无效。',
};

export const assessLocales: LocaleBundle = { namespace: 'assess', en, 'zh-Hant': zhHant, 'zh-Hans': zhHans };
