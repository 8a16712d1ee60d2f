import { DEFAULT_SETTINGS } from '../../scoring';
import type { AssessmentSettings } from './assessment.types';

export function defaultSettings(): AssessmentSettings {
  return {
    thresholds: { ...DEFAULT_SETTINGS.thresholds },
    rule: DEFAULT_SETTINGS.rule,
    rankingMethod: DEFAULT_SETTINGS.rankingMethod,
    borderlineBand: DEFAULT_SETTINGS.borderlineBand,
    minGroupN: DEFAULT_SETTINGS.minGroupN,
    minReportN: DEFAULT_SETTINGS.minReportN,
    instruments: { impact: { mode: 'rating' }, financial: { mode: 'assessment' } },
    languages: ['zh-Hant', 'zh-Hans', 'en'],
    intro: {
      en: 'Thank you for taking part. We ask how significant each sustainability topic is. It takes 5–10 minutes.',
      'zh-Hant': '感謝你參與。我們想了解各項可持續發展議題的重要程度，約需 5 至 10 分鐘。',
      'zh-Hans': '感谢你参与。我们想了解各项可持续发展议题的重要程度，约需 5 至 10 分钟。',
    },
    privacy: {
      en: 'Your answers are used only for this materiality assessment and reported in aggregate. We do not store your IP address.',
      'zh-Hant': '你的回覆只會用於本次重要性評估，並以匯總形式報告。我們不會儲存你的 IP 地址。',
      'zh-Hans': '你的回复仅用于本次重要性评估，并以汇总形式报告。我们不会保存你的 IP 地址。',
    },
    axisLabels: {
      impact: { en: 'Impact materiality', 'zh-Hant': '影響重要性', 'zh-Hans': '影响重要性' },
      financial: { en: 'Financial materiality', 'zh-Hant': '財務重要性', 'zh-Hans': '财务重要性' },
    },
  };
}

export const DEFAULT_PROFILE = {
  nature: 'negative',
  occurrence: 'actual',
  humanRights: false,
} as const;
