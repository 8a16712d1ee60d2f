import { resultsLocales } from '../../src/results/results.locales';
import { BUNDLES } from '../../src/locales';
import { translator } from '../../src/shared/i18n';

type Tree = { [k: string]: string | Tree };
const leaves = (obj: Tree, prefix = ''): [string, string][] =>
  Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object'
      ? leaves(v, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, string]],
  );

describe('results locale bundle', () => {
  const en = new Map(leaves(resultsLocales.en as Tree));

  it('is registered under the `results` namespace', () => {
    expect(BUNDLES).toContain(resultsLocales);
    expect(translator('zh-Hant')('results.matrix.title')).toBe('重要性矩陣');
  });

  it.each(['zh-Hant', 'zh-Hans'] as const)(
    '%s has the same keys and placeholders as en, all translated',
    (lang) => {
      const other = new Map(leaves(resultsLocales[lang] as Tree));
      expect([...other.keys()].sort()).toEqual([...en.keys()].sort());
      const vars = (s = '') => (s.match(/{{\s*\w+\s*}}/g) ?? []).sort().join();
      for (const [k, v] of other) {
        expect(v.trim()).not.toBe('');
        expect([k, vars(v)]).toEqual([k, vars(en.get(k))]);
      }
      const same = [...other].filter(([k, v]) => v === en.get(k));
      expect(same.map(([k]) => k)).toEqual(['rankings.n']);
    },
  );

  it('uses Hong Kong wording in zh-Hant and mainland wording in zh-Hans', () => {
    const hant = leaves(resultsLocales['zh-Hant'] as Tree)
      .map(([, v]) => v)
      .join('\n');
    const hans = leaves(resultsLocales['zh-Hans'] as Tree)
      .map(([, v]) => v)
      .join('\n');
    expect(hant).toContain('持份者');
    expect(hant).not.toMatch(/利益相關方|利益相关方/);
    expect(hans).toContain('利益相关方');
    expect(hans).not.toContain('持份者');
  });
});
