import { exportLocales } from '../../src/exports/export.locales';
import { BUNDLES } from '../../src/locales';
import { translator } from '../../src/shared/i18n';

type Tree = { [k: string]: string | Tree };
const leaves = (obj: Tree, prefix = ''): [string, string][] =>
  Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object'
      ? leaves(v, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, string]],
  );

describe('exports locale bundle', () => {
  const en = new Map(leaves(exportLocales.en as Tree));

  it('is registered under the `exports` namespace', () => {
    expect(BUNDLES).toContain(exportLocales);
    expect(translator('zh-Hant')('exports.sheets.groups')).toBe('持份者組別');
    expect(translator('zh-Hans')('exports.values.fewerThan', { n: 5 })).toBe('少于 5');
  });

  it.each(['zh-Hant', 'zh-Hans'] as const)(
    '%s has the same keys and placeholders as en, all translated',
    (lang) => {
      const other = new Map(leaves(exportLocales[lang] as Tree));
      expect([...other.keys()].sort()).toEqual([...en.keys()].sort());
      const vars = (s = '') => (s.match(/{{\s*\w+\s*}}/g) ?? []).sort().join();
      for (const [k, v] of other) {
        expect(v.trim()).not.toBe('');
        expect([k, vars(v)]).toEqual([k, vars(en.get(k))]);
      }
      const same = [...other].filter(([k, v]) => v === en.get(k)).map(([k]) => k);
      expect(same).toEqual(['cols.n']);
    },
  );

  it('uses Hong Kong wording in zh-Hant and mainland wording in zh-Hans', () => {
    const hant = leaves(exportLocales['zh-Hant'] as Tree)
      .map(([, v]) => v)
      .join('\n');
    const hans = leaves(exportLocales['zh-Hans'] as Tree)
      .map(([, v]) => v)
      .join('\n');
    expect(hant).toContain('持份者');
    expect(hant).not.toMatch(/利益相關方|利益相关方/);
    expect(hans).toContain('利益相关方');
    expect(hans).not.toContain('持份者');
  });
});
