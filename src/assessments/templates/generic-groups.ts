import type { TemplateGroup } from './types';

/** Codes of the generic stakeholder set shared by the `hkex` and `esrs` templates. */
export type GenericGroupCode =
  'investors' | 'employees' | 'customers' | 'suppliers' | 'regulators' | 'community' | 'management';

type GroupBase = Omit<TemplateGroup, 'keyConcerns'>;

const GENERIC_GROUPS: readonly GroupBase[] = [
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
  },
  {
    code: 'employees',
    name: { en: 'Employees', 'zh-Hant': '員工', 'zh-Hans': '员工' },
    kind: 'internal',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 500,
  },
  {
    code: 'customers',
    name: { en: 'Customers', 'zh-Hant': '客戶', 'zh-Hans': '客户' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 1000,
  },
  {
    code: 'suppliers',
    name: { en: 'Suppliers', 'zh-Hant': '供應商', 'zh-Hans': '供应商' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 200,
  },
  {
    code: 'regulators',
    name: { en: 'Regulators', 'zh-Hant': '監管機構', 'zh-Hans': '监管机构' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 20,
  },
  {
    code: 'community',
    name: { en: 'Community', 'zh-Hant': '社區', 'zh-Hans': '社区' },
    kind: 'external',
    weight: 1,
    instruments: ['impact'],
    targetResponses: 200,
  },
  {
    code: 'management',
    name: { en: 'Management', 'zh-Hant': '管理層', 'zh-Hans': '管理层' },
    kind: 'internal',
    weight: 1,
    instruments: ['financial'],
    targetResponses: 30,
  },
];

/** Builds the generic group set with template-specific key concerns (topic codes). */
export function genericGroups(keyConcerns: Record<GenericGroupCode, string[]>): TemplateGroup[] {
  return GENERIC_GROUPS.map((g) => ({
    ...g,
    name: { ...g.name },
    instruments: [...g.instruments],
    keyConcerns: [...keyConcerns[g.code as GenericGroupCode]],
  }));
}
