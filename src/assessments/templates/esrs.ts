import { genericGroups } from './generic-groups';
import type { Template, TemplateTopic } from './types';

/** The ten ESRS topical standards (E1–E5, S1–S4, G1); descriptions summarise each standard's sub-topics. */
const topics: TemplateTopic[] = [
  {
    code: 'E1',
    name: { en: 'Climate change', 'zh-Hant': '氣候變化', 'zh-Hans': '气候变化' },
    description: {
      en: 'Climate change mitigation, climate change adaptation and energy, including scope 1, 2 and 3 greenhouse gas emissions and climate-related physical and transition risks.',
      'zh-Hant':
        '氣候變化減緩、氣候變化適應及能源，包括範圍一、二、三溫室氣體排放以及與氣候相關的實體風險和轉型風險。',
      'zh-Hans':
        '气候变化减缓、气候变化适应及能源，包括范围一、二、三温室气体排放以及与气候相关的实体风险和转型风险。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'E2',
    name: { en: 'Pollution', 'zh-Hant': '污染', 'zh-Hans': '污染' },
    description: {
      en: 'Pollution of air, water and soil, pollution of living organisms and food resources, substances of concern and of very high concern, and microplastics.',
      'zh-Hant': '空氣、水和土壤污染，生物體和食物資源污染，關注物質和高度關注物質，以及微塑料。',
      'zh-Hans': '空气、水和土壤污染，生物体和食物资源污染，关注物质和高度关注物质，以及微塑料。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'E3',
    name: {
      en: 'Water and marine resources',
      'zh-Hant': '水和海洋資源',
      'zh-Hans': '水和海洋资源',
    },
    description: {
      en: 'Water consumption, withdrawals and discharges, and the use of and impacts on marine resources.',
      'zh-Hant': '水的消耗、取水和排水，以及海洋資源的使用和對其造成的影響。',
      'zh-Hans': '水的消耗、取水和排水，以及海洋资源的使用和对其造成的影响。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'E4',
    name: {
      en: 'Biodiversity and ecosystems',
      'zh-Hant': '生物多樣性和生態系統',
      'zh-Hans': '生物多样性和生态系统',
    },
    description: {
      en: 'Direct drivers of biodiversity loss, impacts on the state of species and on the extent and condition of ecosystems, and impacts and dependencies on ecosystem services.',
      'zh-Hant':
        '生物多樣性喪失的直接驅動因素，對物種狀況及生態系統範圍和狀況的影響，以及對生態系統服務的影響和依賴。',
      'zh-Hans':
        '生物多样性丧失的直接驱动因素，对物种状况及生态系统范围和状况的影响，以及对生态系统服务的影响和依赖。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'E5',
    name: {
      en: 'Resource use and circular economy',
      'zh-Hant': '資源使用和循環經濟',
      'zh-Hans': '资源使用和循环经济',
    },
    description: {
      en: 'Resource inflows, resource outflows related to products and services, and waste, including circular design, reuse and recycling.',
      'zh-Hant': '資源流入、與產品和服務相關的資源流出以及廢棄物，包括循環設計、再使用和回收利用。',
      'zh-Hans': '资源流入、与产品和服务相关的资源流出以及废弃物，包括循环设计、再使用和回收利用。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'S1',
    name: { en: 'Own workforce', 'zh-Hant': '自身勞動力', 'zh-Hans': '自身劳动力' },
    description: {
      en: "Working conditions, equal treatment and opportunities for all, and other work-related rights of the undertaking's own employees and non-employee workers.",
      'zh-Hant':
        '企業自身僱員及非僱員工作者的工作條件、人人享有的平等待遇和機會，以及其他與工作相關的權利。',
      'zh-Hans':
        '企业自身雇员及非雇员工作者的工作条件、人人享有的平等待遇和机会，以及其他与工作相关的权利。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'S2',
    name: {
      en: 'Workers in the value chain',
      'zh-Hant': '價值鏈中的工人',
      'zh-Hans': '价值链中的工人',
    },
    description: {
      en: 'Working conditions, equal treatment and other work-related rights, such as freedom from child and forced labour, of workers in the upstream and downstream value chain.',
      'zh-Hant':
        '上下游價值鏈中工人的工作條件、平等待遇及其他與工作相關的權利，例如免受童工和強迫勞動。',
      'zh-Hans':
        '上下游价值链中工人的工作条件、平等待遇及其他与工作相关的权利，例如免受童工和强迫劳动。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'S3',
    name: { en: 'Affected communities', 'zh-Hant': '受影響社區', 'zh-Hans': '受影响社区' },
    description: {
      en: "Economic, social and cultural rights and civil and political rights of communities affected by the undertaking's operations and value chain, including the rights of indigenous peoples.",
      'zh-Hant':
        '受企業運營及價值鏈影響的社區的經濟、社會和文化權利以及公民和政治權利，包括原住民的權利。',
      'zh-Hans':
        '受企业运营及价值链影响的社区的经济、社会和文化权利以及公民和政治权利，包括原住民的权利。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'S4',
    name: {
      en: 'Consumers and end-users',
      'zh-Hant': '消費者和終端用戶',
      'zh-Hans': '消费者和终端用户',
    },
    description: {
      en: "Information-related impacts (such as privacy and freedom of expression), personal safety and social inclusion of consumers and end-users of the undertaking's products and services.",
      'zh-Hant':
        '企業產品和服務的消費者及終端用戶在信息相關方面（如隱私和言論自由）、人身安全及社會包容方面受到的影響。',
      'zh-Hans':
        '企业产品和服务的消费者及终端用户在信息相关方面（如隐私和言论自由）、人身安全及社会包容方面受到的影响。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'G1',
    name: { en: 'Business conduct', 'zh-Hant': '商業行為', 'zh-Hans': '商业行为' },
    description: {
      en: 'Corporate culture, protection of whistle-blowers, management of relationships with suppliers including payment practices, prevention of corruption and bribery, and political engagement and lobbying.',
      'zh-Hant':
        '企業文化、舉報人保護、供應商關係管理（包括付款慣例）、防止腐敗和賄賂，以及政治參與和遊說活動。',
      'zh-Hans':
        '企业文化、举报人保护、供应商关系管理（包括付款惯例）、防止腐败和贿赂，以及政治参与和游说活动。',
    },
    category: 'G',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
];

export const esrsTemplate: Template = {
  id: 'esrs',
  name: {
    en: 'ESRS topical standards',
    'zh-Hant': '歐洲可持續發展報告準則（ESRS）主題準則',
    'zh-Hans': '欧洲可持续发展报告准则（ESRS）主题准则',
  },
  topics,
  groups: genericGroups({
    investors: ['E1', 'G1', 'S4'],
    employees: ['S1'],
    customers: ['S4', 'E5'],
    suppliers: ['S2', 'G1', 'E5'],
    regulators: ['E1', 'E2', 'G1'],
    community: ['S3', 'E2', 'E3', 'E4'],
    management: ['E1', 'E5', 'S4', 'G1'],
  }),
};
