import { getTemplate, TEMPLATE_IDS } from '../../src/assessments/templates';
import type { Lang, Localized, Template } from '../../src/assessments/templates';

const LANGS: Lang[] = ['en', 'zh-Hant', 'zh-Hans'];
const CODE_RE = /^[A-Za-z0-9_-]+$/;
const HAN_RE = /\p{Script=Han}/u;

function expectAllLanguages(text: Localized, where: string): void {
  for (const lang of LANGS) {
    const value = text[lang];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`${where}: missing ${lang}`);
    }
  }
  // The Chinese texts must actually contain Chinese characters.
  expect(text['zh-Hant']).toMatch(HAN_RE);
  expect(text['zh-Hans']).toMatch(HAN_RE);
}

const XIAOMI_TOPICS: [string, string, string, 'E' | 'S' | 'G'][] = [
  ['tech-inclusion', '科技探索與普惠', 'Technology exploration and inclusion', 'S'],
  ['product-quality', '產品與服務質量', 'Product and service quality', 'S'],
  ['supply-chain', '可持續供應鏈', 'Sustainable supply chain', 'S'],
  ['sustainable-ai', '可持續AI', 'Sustainable AI', 'G'],
  ['data-privacy', '數據安全與隱私保護', 'Data security and privacy protection', 'S'],
  ['climate', '氣候減緩與適應', 'Climate change mitigation and adaptation', 'E'],
  ['circular-economy', '循環經濟', 'Circular economy', 'E'],
  ['waste', '廢棄物管理', 'Waste management', 'E'],
  ['natural-resources', '自然資源', 'Natural resources', 'E'],
  ['biodiversity', '生物多樣性', 'Biodiversity', 'E'],
  ['talent-management', '人才管理', 'Talent management', 'S'],
  ['talent-care', '人才關愛與培育', 'Talent care and development', 'S'],
  ['community', '社會公益與社區共建', 'Public welfare and community building', 'S'],
  ['business-ethics', '商業道德', 'Business ethics', 'G'],
  ['governance', '公司治理', 'Corporate governance', 'G'],
  ['esg-risk', 'ESG風險管理', 'ESG risk management', 'G'],
  ['financial-performance', '可持續財務績效', 'Sustainable financial performance', 'G'],
  ['stakeholder-engagement', '利益相關方參與', 'Stakeholder engagement', 'G'],
];

const XIAOMI_GROUPS: [string, string, string, 'internal' | 'external', string[]][] = [
  [
    'users',
    '用戶',
    'Users',
    'external',
    ['product-quality', 'tech-inclusion', 'data-privacy', 'circular-economy'],
  ],
  [
    'investors',
    '股東及投資者',
    'Shareholders and investors',
    'external',
    ['financial-performance', 'esg-risk', 'governance', 'stakeholder-engagement'],
  ],
  ['employees', '員工', 'Employees', 'internal', ['talent-care', 'talent-management']],
  [
    'suppliers',
    '供應商',
    'Suppliers',
    'external',
    ['supply-chain', 'product-quality', 'tech-inclusion'],
  ],
  [
    'operators',
    '運營商',
    'Telecom operators',
    'external',
    ['product-quality', 'data-privacy', 'supply-chain'],
  ],
  [
    'regulators',
    '監管機構',
    'Regulators',
    'external',
    ['business-ethics', 'waste', 'climate', 'sustainable-ai'],
  ],
  [
    'community',
    '社區',
    'Community',
    'external',
    ['community', 'stakeholder-engagement', 'biodiversity'],
  ],
  [
    'ngos',
    '國際組織和非營利性機構、協會',
    'International organisations, NGOs and associations',
    'external',
    ['climate', 'community', 'biodiversity', 'natural-resources'],
  ],
  ['media', '媒體', 'Media', 'external', ['product-quality', 'tech-inclusion', 'community']],
];

describe('assessment templates', () => {
  it('lists the four templates, blank first', () => {
    expect([...TEMPLATE_IDS]).toEqual(['blank', 'xiaomi-2024', 'hkex', 'esrs']);
  });

  describe.each([...TEMPLATE_IDS])('%s', (id) => {
    const t: Template = getTemplate(id);

    it('has its id and a name in all three languages', () => {
      expect(t.id).toBe(id);
      expectAllLanguages(t.name, `${id}.name`);
    });

    it('has well-formed, unique topic codes, valid categories and texts in all three languages', () => {
      const codes = t.topics.map((x) => x.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const topic of t.topics) {
        expect(topic.code).toMatch(CODE_RE);
        expect(['E', 'S', 'G']).toContain(topic.category);
        expectAllLanguages(topic.name, `${id}.${topic.code}.name`);
        expectAllLanguages(topic.description, `${id}.${topic.code}.description`);
        expect(['negative', 'positive']).toContain(topic.impactProfile.nature);
        expect(['actual', 'potential']).toContain(topic.impactProfile.occurrence);
        expect(typeof topic.impactProfile.humanRights).toBe('boolean');
      }
      // Names are unique per language.
      for (const lang of LANGS) {
        const names = t.topics.map((x) => x.name[lang]);
        expect(new Set(names).size).toBe(names.length);
      }
    });

    it('has well-formed groups whose key concerns reference existing topics', () => {
      const codes = t.groups.map((g) => g.code);
      expect(new Set(codes).size).toBe(codes.length);
      const topicCodes = new Set(t.topics.map((x) => x.code));
      for (const g of t.groups) {
        expect(g.code).toMatch(CODE_RE);
        expectAllLanguages(g.name, `${id}.group ${g.code}.name`);
        expect(['internal', 'external']).toContain(g.kind);
        expect(g.weight).toBeGreaterThanOrEqual(0);
        expect(g.instruments.length).toBeGreaterThan(0);
        for (const ins of g.instruments) expect(['impact', 'financial']).toContain(ins);
        expect(Number.isInteger(g.targetResponses)).toBe(true);
        expect(g.targetResponses).toBeGreaterThan(0);
        expect(new Set(g.keyConcerns).size).toBe(g.keyConcerns.length);
        for (const c of g.keyConcerns) expect(topicCodes.has(c)).toBe(true);
      }
    });
  });

  it('blank has no topics and no groups', () => {
    const t = getTemplate('blank');
    expect(t.topics).toEqual([]);
    expect(t.groups).toEqual([]);
  });

  describe('xiaomi-2024', () => {
    const t = getTemplate('xiaomi-2024');

    it('has exactly the 18 topics of the domain notes, in order, with their names and categories', () => {
      expect(t.topics.map((x) => x.code)).toEqual(XIAOMI_TOPICS.map(([code]) => code));
      t.topics.forEach((topic, i) => {
        const [, zhHant, en, category] = XIAOMI_TOPICS[i]!;
        expect(topic.name.en).toBe(en);
        expect(topic.name['zh-Hant']).toBe(zhHant);
        expect(topic.category).toBe(category);
      });
    });

    it('has Simplified Chinese names', () => {
      const byCode = new Map(t.topics.map((x) => [x.code, x]));
      expect(byCode.get('product-quality')?.name['zh-Hans']).toBe('产品与服务质量');
      expect(byCode.get('stakeholder-engagement')?.name['zh-Hans']).toBe('利益相关方参与');
      expect(byCode.get('data-privacy')?.name['zh-Hans']).toBe('数据安全与隐私保护');
      expect(byCode.get('climate')?.name['zh-Hans']).toBe('气候减缓与适应');
    });

    it('has sensible default impact profiles', () => {
      const byCode = new Map(t.topics.map((x) => [x.code, x.impactProfile]));
      expect(byCode.get('climate')).toEqual({
        nature: 'negative',
        occurrence: 'actual',
        humanRights: false,
      });
      expect(byCode.get('data-privacy')).toEqual({
        nature: 'negative',
        occurrence: 'potential',
        humanRights: true,
      });
      expect(byCode.get('talent-care')).toMatchObject({ nature: 'positive', occurrence: 'actual' });
    });

    it('has the 9 impact groups of the domain notes plus a financial management group', () => {
      expect(t.groups.map((g) => g.code)).toEqual([
        ...XIAOMI_GROUPS.map(([code]) => code),
        'management',
      ]);
      XIAOMI_GROUPS.forEach(([code, zhHant, en, kind, concerns]) => {
        const g = t.groups.find((x) => x.code === code)!;
        expect(g.name['zh-Hant']).toBe(zhHant);
        expect(g.name.en).toBe(en);
        expect(g.kind).toBe(kind);
        expect(g.keyConcerns).toEqual(concerns);
        expect(g.instruments).toEqual(['impact']);
        expect(g.weight).toBe(1);
      });
      const m = t.groups.find((x) => x.code === 'management')!;
      expect(m.name).toEqual({ en: 'Management', 'zh-Hant': '管理層', 'zh-Hans': '管理层' });
      expect(m.kind).toBe('internal');
      expect(m.instruments).toEqual(['financial']);
      expect(m.weight).toBe(1);
      expect(t.groups.find((x) => x.code === 'users')!.targetResponses).toBe(5000);
      expect(t.groups.find((x) => x.code === 'employees')!.targetResponses).toBe(1000);
      expect(m.targetResponses).toBe(30);
    });
  });

  describe('hkex', () => {
    const t = getTemplate('hkex');

    it('has the 12 aspects A1–A4, B1–B8 with their names and categories', () => {
      expect(t.topics.map((x) => x.code)).toEqual([
        'A1',
        'A2',
        'A3',
        'A4',
        'B1',
        'B2',
        'B3',
        'B4',
        'B5',
        'B6',
        'B7',
        'B8',
      ]);
      expect(t.topics.map((x) => x.category).join('')).toBe('EEEESSSSSSGS');
      const byCode = new Map(t.topics.map((x) => [x.code, x.name]));
      expect(byCode.get('A1')).toMatchObject({ en: 'Emissions', 'zh-Hant': '排放物' });
      expect(byCode.get('A3')).toMatchObject({
        en: 'Environment and natural resources',
        'zh-Hant': '環境及天然資源',
      });
      expect(byCode.get('B1')).toMatchObject({
        en: 'Employment',
        'zh-Hant': '僱傭',
        'zh-Hans': '雇佣',
      });
      expect(byCode.get('B7')).toMatchObject({ en: 'Anti-corruption', 'zh-Hant': '反貪污' });
      expect(byCode.get('B8')).toMatchObject({ en: 'Community investment', 'zh-Hant': '社區投資' });
    });

    it('has the generic group set with a financial management group', () => {
      expect(t.groups.map((g) => g.code)).toEqual([
        'investors',
        'employees',
        'customers',
        'suppliers',
        'regulators',
        'community',
        'management',
      ]);
      for (const g of t.groups)
        expect(g.instruments).toEqual(g.code === 'management' ? ['financial'] : ['impact']);
    });
  });

  describe('esrs', () => {
    const t = getTemplate('esrs');

    it('has the 10 topical standards with categories by letter', () => {
      expect(t.topics.map((x) => x.code)).toEqual([
        'E1',
        'E2',
        'E3',
        'E4',
        'E5',
        'S1',
        'S2',
        'S3',
        'S4',
        'G1',
      ]);
      for (const topic of t.topics) expect(topic.category).toBe(topic.code[0]);
      const byCode = new Map(t.topics.map((x) => [x.code, x.name]));
      expect(byCode.get('E1')).toEqual({
        en: 'Climate change',
        'zh-Hant': '氣候變化',
        'zh-Hans': '气候变化',
      });
      expect(byCode.get('S1')).toEqual({
        en: 'Own workforce',
        'zh-Hant': '自身勞動力',
        'zh-Hans': '自身劳动力',
      });
      expect(byCode.get('G1')).toEqual({
        en: 'Business conduct',
        'zh-Hant': '商業行為',
        'zh-Hans': '商业行为',
      });
    });

    it('has the generic group set', () => {
      expect(t.groups.map((g) => g.code)).toEqual([
        'investors',
        'employees',
        'customers',
        'suppliers',
        'regulators',
        'community',
        'management',
      ]);
    });
  });

  describe('getTemplate', () => {
    it.each([...TEMPLATE_IDS])('returns an independent, mutable deep copy of %s', (id) => {
      const a = getTemplate(id);
      const b = getTemplate(id);
      expect(a).toEqual(b);
      expect(a).not.toBe(b);
      expect(a.topics).not.toBe(b.topics);
      expect(a.groups).not.toBe(b.groups);

      a.name.en = 'changed';
      a.topics.push({
        code: 'extra',
        name: { en: 'Extra' },
        description: { en: 'Extra' },
        category: 'G',
        impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
      });
      if (b.topics.length > 0) {
        a.topics[0]!.name.en = 'changed';
        a.topics[0]!.impactProfile.humanRights = !a.topics[0]!.impactProfile.humanRights;
      }
      if (b.groups.length > 0) {
        a.groups[0]!.keyConcerns.push('extra');
        a.groups[0]!.instruments.push('financial');
        a.groups[0]!.weight = 7;
      }

      const c = getTemplate(id);
      expect(c).toEqual(b);
      expect(c.name.en).not.toBe('changed');
      expect(c.topics.find((x) => x.code === 'extra')).toBeUndefined();
    });

    it('gives the hkex and esrs groups independent key concerns', () => {
      const h = getTemplate('hkex');
      const e = getTemplate('esrs');
      expect(h.groups[0]!.keyConcerns).not.toEqual(e.groups[0]!.keyConcerns);
    });

    it('throws on an unknown id', () => {
      expect(() => getTemplate('nope' as Template['id'])).toThrow(/Unknown assessment template/);
    });
  });
});
