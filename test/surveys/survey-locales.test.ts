import { surveyLocales } from '../../src/surveys/survey.locales';

describe('survey strings', () => {
  type Tree = { [k: string]: string | Tree };
  const leaves = (o: Tree, prefix = ''): [string, string][] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object'
        ? leaves(v, `${prefix}${k}.`)
        : [[`${prefix}${k}`, v] as [string, string]],
    );
  const en = new Map(leaves(surveyLocales.en as Tree));

  it.each(['zh-Hant', 'zh-Hans'] as const)(
    '%s has the keys and placeholders of en, all translated',
    (l) => {
      const other = new Map(leaves(surveyLocales[l] as Tree));
      expect([...other.keys()].sort()).toEqual([...en.keys()].sort());
      const vars = (s = '') => (s.match(/{{\s*\w+\s*}}/g) ?? []).sort().join();
      for (const [k, v] of other) {
        expect(v.trim()).not.toBe('');
        expect(vars(v)).toBe(vars(en.get(k)));
      }
      expect([...other].filter(([k, v]) => v === en.get(k) && !/Item$/.test(k))).toEqual([]);
    },
  );

  it('uses Hong Kong wording in zh-Hant', () => {
    expect(JSON.stringify(surveyLocales['zh-Hant'])).toContain('持份者');
  });
});
