import { genericGroups } from './generic-groups';
import type { Template, TemplateTopic } from './types';

/**
 * The 12 aspects of the HKEX ESG Reporting Guide (A1–A4 environmental, B1–B8 social).
 * Descriptions paraphrase each aspect's "General Disclosure" scope.
 */
const topics: TemplateTopic[] = [
  {
    code: 'A1',
    name: { en: 'Emissions', 'zh-Hant': '排放物', 'zh-Hans': '排放物' },
    description: {
      en: 'Policies and compliance relating to air and greenhouse gas emissions, discharges into water and land, and the generation of hazardous and non-hazardous waste.',
      'zh-Hant':
        '有關廢氣及溫室氣體排放、向水及土地的排污、有害及無害廢棄物的產生等的政策及合規情況。',
      'zh-Hans':
        '有关废气及温室气体排放、向水及土地的排污、有害及无害废弃物的产生等的政策及合规情况。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'A2',
    name: { en: 'Use of resources', 'zh-Hant': '資源使用', 'zh-Hans': '资源使用' },
    description: {
      en: 'Policies on the efficient use of resources, including energy, water and other raw materials, and packaging materials.',
      'zh-Hant': '有效使用資源（包括能源、水及其他原材料）及包裝材料的政策。',
      'zh-Hans': '有效使用资源（包括能源、水及其他原材料）及包装材料的政策。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'A3',
    name: {
      en: 'Environment and natural resources',
      'zh-Hant': '環境及天然資源',
      'zh-Hans': '环境及天然资源',
    },
    description: {
      en: "Policies on minimising the issuer's significant impacts on the environment and natural resources.",
      'zh-Hant': '減低發行人對環境及天然資源造成重大影響的政策。',
      'zh-Hans': '减低发行人对环境及天然资源造成重大影响的政策。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'A4',
    name: { en: 'Climate change', 'zh-Hant': '氣候變化', 'zh-Hans': '气候变化' },
    description: {
      en: 'Policies on identifying and mitigating significant climate-related issues which have impacted, and those which may impact, the issuer.',
      'zh-Hant': '識別及應對已經及可能會對發行人產生影響的重大氣候相關事宜的政策。',
      'zh-Hans': '识别及应对已经及可能会对发行人产生影响的重大气候相关事宜的政策。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'B1',
    name: { en: 'Employment', 'zh-Hant': '僱傭', 'zh-Hans': '雇佣' },
    description: {
      en: 'Policies and compliance relating to compensation and dismissal, recruitment and promotion, working hours, rest periods, equal opportunity, diversity, anti-discrimination, and other benefits and welfare.',
      'zh-Hant':
        '有關薪酬及解僱、招聘及晉升、工作時數、假期、平等機會、多元化、反歧視以及其他待遇及福利的政策及合規情況。',
      'zh-Hans':
        '有关薪酬及解雇、招聘及晋升、工作时数、假期、平等机会、多元化、反歧视以及其他待遇及福利的政策及合规情况。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'B2',
    name: { en: 'Health and safety', 'zh-Hant': '健康與安全', 'zh-Hans': '健康与安全' },
    description: {
      en: 'Policies and compliance relating to providing a safe working environment and protecting employees from occupational hazards.',
      'zh-Hant': '有關提供安全工作環境及保障僱員避免職業性危害的政策及合規情況。',
      'zh-Hans': '有关提供安全工作环境及保障雇员避免职业性危害的政策及合规情况。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'B3',
    name: { en: 'Development and training', 'zh-Hant': '發展及培訓', 'zh-Hans': '发展及培训' },
    description: {
      en: "Policies on improving employees' knowledge and skills for discharging duties at work, including a description of training activities.",
      'zh-Hant': '有關提升僱員履行工作職責的知識及技能的政策，包括培訓活動的描述。',
      'zh-Hans': '有关提升雇员履行工作职责的知识及技能的政策，包括培训活动的描述。',
    },
    category: 'S',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'B4',
    name: { en: 'Labour standards', 'zh-Hant': '勞工準則', 'zh-Hans': '劳工准则' },
    description: {
      en: 'Policies and compliance relating to preventing child and forced labour.',
      'zh-Hant': '有關防止童工及強制勞工的政策及合規情況。',
      'zh-Hans': '有关防止童工及强制劳工的政策及合规情况。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'B5',
    name: { en: 'Supply chain management', 'zh-Hant': '供應鏈管理', 'zh-Hans': '供应链管理' },
    description: {
      en: 'Policies on managing the environmental and social risks of the supply chain.',
      'zh-Hant': '管理供應鏈的環境及社會風險的政策。',
      'zh-Hans': '管理供应链的环境及社会风险的政策。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'B6',
    name: { en: 'Product responsibility', 'zh-Hant': '產品責任', 'zh-Hans': '产品责任' },
    description: {
      en: 'Policies and compliance relating to the health and safety, advertising, labelling and privacy matters of products and services provided, and methods of redress.',
      'zh-Hant':
        '有關所提供產品和服務的健康與安全、廣告、標籤及私隱事宜以及補救方法的政策及合規情況。',
      'zh-Hans':
        '有关所提供产品和服务的健康与安全、广告、标签及隐私事宜以及补救方法的政策及合规情况。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'B7',
    name: { en: 'Anti-corruption', 'zh-Hant': '反貪污', 'zh-Hans': '反贪污' },
    description: {
      en: 'Policies and compliance relating to bribery, extortion, fraud and money laundering, including preventive measures, whistle-blowing procedures and anti-corruption training.',
      'zh-Hant':
        '有關防止賄賂、勒索、欺詐及洗黑錢的政策及合規情況，包括預防措施、舉報程序及反貪污培訓。',
      'zh-Hans':
        '有关防止贿赂、勒索、欺诈及洗黑钱的政策及合规情况，包括预防措施、举报程序及反贪污培训。',
    },
    category: 'G',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'B8',
    name: { en: 'Community investment', 'zh-Hant': '社區投資', 'zh-Hans': '社区投资' },
    description: {
      en: "Policies on community engagement to understand the needs of the communities where the issuer operates and to ensure its activities take the communities' interests into consideration.",
      'zh-Hant': '以社區參與來了解營運所在社區需要和確保其業務活動會考慮社區利益的政策。',
      'zh-Hans': '以社区参与来了解营运所在社区需要和确保其业务活动会考虑社区利益的政策。',
    },
    category: 'S',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
];

export const hkexTemplate: Template = {
  id: 'hkex',
  name: {
    en: 'HKEX ESG Reporting Guide aspects',
    'zh-Hant': '香港交易所《環境、社會及管治報告指引》層面',
    'zh-Hans': '香港交易所《环境、社会及管治报告指引》层面',
  },
  topics,
  groups: genericGroups({
    investors: ['A4', 'B6', 'B7'],
    employees: ['B1', 'B2', 'B3'],
    customers: ['B6', 'B5'],
    suppliers: ['B5', 'B4', 'B7'],
    regulators: ['A1', 'B4', 'B7'],
    community: ['B8', 'A3', 'A1'],
    management: ['A4', 'B5', 'B6', 'B7'],
  }),
};
