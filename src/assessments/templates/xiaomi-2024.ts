import type { Template, TemplateGroup, TemplateTopic } from './types';

/**
 * The 18 topics and 9 stakeholder groups of a consumer-electronics group's 2024 double-materiality
 * matrix (see docs/domain.md), plus a `management` group answering the financial questionnaire.
 * Descriptions and impact profiles are neutral defaults written for this platform, not quotations.
 */
const topics: TemplateTopic[] = [
  {
    code: 'tech-inclusion',
    name: {
      en: 'Technology exploration and inclusion',
      'zh-Hant': '科技探索與普惠',
      'zh-Hans': '科技探索与普惠',
    },
    description: {
      en: 'Investment in research and technological innovation, and efforts to make products and services affordable and accessible to all users, including older people and people with disabilities.',
      'zh-Hant':
        '對研發與技術創新的投入，以及讓所有用戶（包括長者及殘障人士）都能負擔和無障礙使用產品與服務的舉措。',
      'zh-Hans':
        '对研发与技术创新的投入，以及让所有用户（包括长者及残障人士）都能负担和无障碍使用产品与服务的举措。',
    },
    category: 'S',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'product-quality',
    name: {
      en: 'Product and service quality',
      'zh-Hant': '產品與服務質量',
      'zh-Hans': '产品与服务质量',
    },
    description: {
      en: 'The quality, safety and reliability of products and services throughout their life cycle, including after-sales service, customer satisfaction and the handling of complaints and recalls.',
      'zh-Hant':
        '產品與服務在整個生命週期中的質量、安全性與可靠性，包括售後服務、客戶滿意度以及投訴與召回的處理。',
      'zh-Hans':
        '产品与服务在整个生命周期中的质量、安全性与可靠性，包括售后服务、客户满意度以及投诉与召回的处理。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'supply-chain',
    name: { en: 'Sustainable supply chain', 'zh-Hant': '可持續供應鏈', 'zh-Hans': '可持续供应链' },
    description: {
      en: 'The management of environmental, social and governance risks among suppliers, including supplier screening, audits, labour conditions, responsible sourcing of minerals and supplier capacity building.',
      'zh-Hant':
        '對供應商環境、社會及治理風險的管理，包括供應商篩選、審核、勞工條件、礦產負責任採購及供應商能力建設。',
      'zh-Hans':
        '对供应商环境、社会及治理风险的管理，包括供应商筛选、审核、劳工条件、矿产负责任采购及供应商能力建设。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'sustainable-ai',
    name: { en: 'Sustainable AI', 'zh-Hant': '可持續AI', 'zh-Hans': '可持续AI' },
    description: {
      en: 'The responsible development and use of artificial intelligence, including the safety, transparency, fairness and accountability of AI systems and their energy use.',
      'zh-Hant':
        '負責任地開發和使用人工智能，包括人工智能系統的安全、透明、公平、問責及其能源消耗。',
      'zh-Hans':
        '负责任地开发和使用人工智能，包括人工智能系统的安全、透明、公平、问责及其能源消耗。',
    },
    category: 'G',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'data-privacy',
    name: {
      en: 'Data security and privacy protection',
      'zh-Hant': '數據安全與隱私保護',
      'zh-Hans': '数据安全与隐私保护',
    },
    description: {
      en: "The protection of personal data and information systems against unauthorised access, misuse and loss, and respect for users' privacy rights in products and services.",
      'zh-Hant':
        '保護個人數據及信息系統免受未經授權的訪問、濫用和丟失，並在產品與服務中尊重用戶的隱私權利。',
      'zh-Hans':
        '保护个人数据及信息系统免受未经授权的访问、滥用和丢失，并在产品与服务中尊重用户的隐私权利。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'climate',
    name: {
      en: 'Climate change mitigation and adaptation',
      'zh-Hant': '氣候減緩與適應',
      'zh-Hans': '气候减缓与适应',
    },
    description: {
      en: 'Greenhouse gas emissions across operations and the value chain, energy efficiency and renewable energy, and adaptation to the physical and transition risks of climate change.',
      'zh-Hant':
        '運營及價值鏈中的溫室氣體排放、能源效率與可再生能源，以及對氣候變化實體風險和轉型風險的適應。',
      'zh-Hans':
        '运营及价值链中的温室气体排放、能源效率与可再生能源，以及对气候变化实体风险和转型风险的适应。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'circular-economy',
    name: { en: 'Circular economy', 'zh-Hant': '循環經濟', 'zh-Hans': '循环经济' },
    description: {
      en: 'Designing products for durability, repairability and recyclability, using recycled materials, and taking back, refurbishing and recycling products at the end of their life.',
      'zh-Hant':
        '產品的耐用、可維修及可回收設計，再生材料的使用，以及報廢產品的回收、翻新與再循環。',
      'zh-Hans':
        '产品的耐用、可维修及可回收设计，再生材料的使用，以及报废产品的回收、翻新与再循环。',
    },
    category: 'E',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'waste',
    name: { en: 'Waste management', 'zh-Hant': '廢棄物管理', 'zh-Hans': '废弃物管理' },
    description: {
      en: 'The generation, handling and disposal of hazardous and non-hazardous waste from manufacturing, offices and logistics, including packaging waste and electronic waste.',
      'zh-Hant':
        '生產、辦公及物流過程中有害及無害廢棄物的產生、處理與處置，包括包裝廢棄物和電子廢棄物。',
      'zh-Hans':
        '生产、办公及物流过程中有害及无害废弃物的产生、处理与处置，包括包装废弃物和电子废弃物。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'natural-resources',
    name: { en: 'Natural resources', 'zh-Hant': '自然資源', 'zh-Hans': '自然资源' },
    description: {
      en: 'The use of water, energy, raw materials and packaging materials in operations and the value chain, and measures to use them efficiently.',
      'zh-Hant': '運營及價值鏈中水、能源、原材料和包裝材料的使用，以及提升資源使用效率的措施。',
      'zh-Hans': '运营及价值链中水、能源、原材料和包装材料的使用，以及提升资源使用效率的措施。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'biodiversity',
    name: { en: 'Biodiversity', 'zh-Hant': '生物多樣性', 'zh-Hans': '生物多样性' },
    description: {
      en: 'The impacts of operations, sourcing and infrastructure on ecosystems and species, and measures to avoid, reduce and restore them.',
      'zh-Hant': '運營、採購和基礎設施對生態系統及物種的影響，以及避免、減少和修復這些影響的措施。',
      'zh-Hans': '运营、采购和基础设施对生态系统及物种的影响，以及避免、减少和修复这些影响的措施。',
    },
    category: 'E',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'talent-management',
    name: { en: 'Talent management', 'zh-Hant': '人才管理', 'zh-Hans': '人才管理' },
    description: {
      en: "Recruitment, employment practices, remuneration and benefits, diversity and equal opportunity, and the protection of employees' labour rights.",
      'zh-Hant': '招聘、僱傭實踐、薪酬福利、多元化與平等機會，以及員工勞工權益的保障。',
      'zh-Hans': '招聘、雇佣实践、薪酬福利、多元化与平等机会，以及员工劳工权益的保障。',
    },
    category: 'S',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
  },
  {
    code: 'talent-care',
    name: {
      en: 'Talent care and development',
      'zh-Hant': '人才關愛與培育',
      'zh-Hans': '人才关爱与培育',
    },
    description: {
      en: 'Employee training and career development, occupational health and safety, well-being and engagement.',
      'zh-Hant': '員工培訓與職業發展、職業健康與安全、身心健康及員工敬業度。',
      'zh-Hans': '员工培训与职业发展、职业健康与安全、身心健康及员工敬业度。',
    },
    category: 'S',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'community',
    name: {
      en: 'Public welfare and community building',
      'zh-Hant': '社會公益與社區共建',
      'zh-Hans': '社会公益与社区共建',
    },
    description: {
      en: 'Charitable giving, volunteering, and programmes that support education, disaster relief and the development of local communities.',
      'zh-Hant': '慈善捐贈、志願服務，以及支持教育、救災和當地社區發展的項目。',
      'zh-Hans': '慈善捐赠、志愿服务，以及支持教育、救灾和当地社区发展的项目。',
    },
    category: 'S',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'business-ethics',
    name: { en: 'Business ethics', 'zh-Hant': '商業道德', 'zh-Hans': '商业道德' },
    description: {
      en: 'The prevention of bribery, corruption, fraud and anti-competitive behaviour, the protection of intellectual property, and whistle-blowing channels.',
      'zh-Hant': '防範賄賂、貪污、欺詐及反競爭行為，保護知識產權，以及設立舉報渠道。',
      'zh-Hans': '防范贿赂、贪污、欺诈及反竞争行为，保护知识产权，以及设立举报渠道。',
    },
    category: 'G',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'governance',
    name: { en: 'Corporate governance', 'zh-Hant': '公司治理', 'zh-Hans': '公司治理' },
    description: {
      en: "The structure, independence, diversity and effectiveness of the board and its committees, shareholders' rights, and the board's oversight of sustainability matters.",
      'zh-Hant':
        '董事會及其委員會的架構、獨立性、多元化與有效性，股東權利，以及董事會對可持續發展事宜的監督。',
      'zh-Hans':
        '董事会及其委员会的架构、独立性、多元化与有效性，股东权利，以及董事会对可持续发展事宜的监督。',
    },
    category: 'G',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'esg-risk',
    name: { en: 'ESG risk management', 'zh-Hant': 'ESG風險管理', 'zh-Hans': 'ESG风险管理' },
    description: {
      en: 'The identification, assessment and management of environmental, social and governance risks, and their integration into the enterprise risk management system.',
      'zh-Hant': '識別、評估和管理環境、社會及治理風險，並將其納入企業風險管理體系。',
      'zh-Hans': '识别、评估和管理环境、社会及治理风险，并将其纳入企业风险管理体系。',
    },
    category: 'G',
    impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
  },
  {
    code: 'financial-performance',
    name: {
      en: 'Sustainable financial performance',
      'zh-Hant': '可持續財務績效',
      'zh-Hans': '可持续财务绩效',
    },
    description: {
      en: 'Stable long-term financial results and value creation for shareholders, and the financing and investment that support a sustainable business.',
      'zh-Hant': '長期穩健的財務業績及為股東創造價值，以及支持可持續業務的融資與投資。',
      'zh-Hans': '长期稳健的财务业绩及为股东创造价值，以及支持可持续业务的融资与投资。',
    },
    category: 'G',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
  {
    code: 'stakeholder-engagement',
    name: {
      en: 'Stakeholder engagement',
      'zh-Hant': '利益相關方參與',
      'zh-Hans': '利益相关方参与',
    },
    description: {
      en: 'Regular communication with stakeholders through appropriate channels to understand and respond to their expectations, including transparent ESG disclosure.',
      'zh-Hant': '通過適當渠道與利益相關方定期溝通，了解並回應其期望，包括透明的ESG信息披露。',
      'zh-Hans': '通过适当渠道与利益相关方定期沟通，了解并回应其期望，包括透明的ESG信息披露。',
    },
    category: 'G',
    impactProfile: { nature: 'positive', occurrence: 'actual', humanRights: false },
  },
];

const groups: TemplateGroup[] = [
  {
    code: 'users',
    name: { en: 'Users', 'zh-Hant': '用戶', 'zh-Hans': '用户' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 5000,
    keyConcerns: ['product-quality', 'tech-inclusion', 'data-privacy', 'circular-economy'],
  },
  {
    code: 'investors',
    name: {
      en: 'Shareholders and investors',
      'zh-Hant': '股東及投資者',
      'zh-Hans': '股东及投资者',
    },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 100,
    keyConcerns: ['financial-performance', 'esg-risk', 'governance', 'stakeholder-engagement'],
  },
  {
    code: 'employees',
    name: { en: 'Employees', 'zh-Hant': '員工', 'zh-Hans': '员工' },
    kind: 'internal',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 1000,
    keyConcerns: ['talent-care', 'talent-management'],
  },
  {
    code: 'suppliers',
    name: { en: 'Suppliers', 'zh-Hant': '供應商', 'zh-Hans': '供应商' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 200,
    keyConcerns: ['supply-chain', 'product-quality', 'tech-inclusion'],
  },
  {
    code: 'operators',
    name: { en: 'Telecom operators', 'zh-Hant': '運營商', 'zh-Hans': '运营商' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 50,
    keyConcerns: ['product-quality', 'data-privacy', 'supply-chain'],
  },
  {
    code: 'regulators',
    name: { en: 'Regulators', 'zh-Hant': '監管機構', 'zh-Hans': '监管机构' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 20,
    keyConcerns: ['business-ethics', 'waste', 'climate', 'sustainable-ai'],
  },
  {
    code: 'community',
    name: { en: 'Community', 'zh-Hant': '社區', 'zh-Hans': '社区' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 200,
    keyConcerns: ['community', 'stakeholder-engagement', 'biodiversity'],
  },
  {
    code: 'ngos',
    name: {
      en: 'International organisations, NGOs and associations',
      'zh-Hant': '國際組織和非營利性機構、協會',
      'zh-Hans': '国际组织和非营利性机构、协会',
    },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 30,
    keyConcerns: ['climate', 'community', 'biodiversity', 'natural-resources'],
  },
  {
    code: 'media',
    name: { en: 'Media', 'zh-Hant': '媒體', 'zh-Hans': '媒体' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 50,
    keyConcerns: ['product-quality', 'tech-inclusion', 'community'],
  },
  {
    code: 'management',
    name: { en: 'Management', 'zh-Hant': '管理層', 'zh-Hans': '管理层' },
    kind: 'internal',
    weight: 1,
    instruments: ['financial'],
    targetResponses: 30,
    keyConcerns: [
      'tech-inclusion',
      'product-quality',
      'supply-chain',
      'financial-performance',
      'esg-risk',
    ],
  },
];

export const xiaomi2024Template: Template = {
  id: 'xiaomi-2024',
  name: {
    en: 'Consumer electronics, 2024 double materiality (18 topics)',
    'zh-Hant': '消費電子 2024 雙重重要性（18項議題）',
    'zh-Hans': '消费电子 2024 双重重要性（18项议题）',
  },
  topics,
  groups,
};
