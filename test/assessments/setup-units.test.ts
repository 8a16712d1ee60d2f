import fs from 'node:fs';
import path from 'node:path';
import { assessLocales } from '../../src/assessments/assess.locales';
import { groupPatchSchema } from '../../src/assessments/model/assessment.schemas';
import { readCsv } from '../../src/assessments/import/sheet';
import { neutralise, writeCsv } from '../../src/shared/csv';
import { readInvitees } from '../../src/invitations/invitee-import';
import { columnOf, topicInput, yesNo } from '../../src/assessments/import/topic-import';
import { ValidationError } from '../../src/shared/errors';
import { translator } from '../../src/shared/i18n';
import { linkLocales } from '../../src/invitations/link.locales';

describe('CSV helpers', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+44 20', "'+44 20"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
  ])('neutralises %j', (input, out) => expect(neutralise(input)).toBe(out));

  it('writes RFC 4180 CSV with a BOM and CRLF', () => {
    expect(
      writeCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [3, '=cmd'],
        ],
      ),
    ).toBe('\uFEFFa,b\r\n"x,y","say ""hi"""\r\n3,\'=cmd\r\n');
  });

  it('reads semicolon CSV (Excel in comma-decimal locales) and skips blank rows but keeps row numbers', () => {
    const sheet = readCsv(Buffer.from('\uFEFFCode;Name_EN\n\na;Alpha\n;\nb;"Beta; two"\n'));
    expect(sheet.columns).toEqual(['code', 'name_en']);
    expect(sheet.rows).toEqual([
      { row: 3, cells: { code: 'a', name_en: 'Alpha' } },
      { row: 5, cells: { code: 'b', name_en: 'Beta; two' } },
    ]);
  });
});

describe('topic import rows', () => {
  it('maps the columns and completes a partial impact profile', () => {
    expect(
      topicInput({
        code: 'w',
        name_en: 'Water',
        name_zh_hant: '水',
        category: 'e',
        occurrence: 'Potential',
      }),
    ).toEqual({
      code: 'w',
      name: { en: 'Water', 'zh-Hant': '水' },
      description: { en: '' },
      category: 'E',
      impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: false },
    });
  });

  it.each([
    ['yes', true],
    ['TRUE', true],
    ['1', true],
    ['是', true],
    ['no', false],
    ['false', false],
    ['0', false],
    ['', false],
    ['maybe', 'maybe'],
  ])('reads human_rights %j', (v, out) => expect(yesNo(v)).toBe(out));

  it('names the file column of a service error path', () => {
    expect(columnOf('name.zh-Hant')).toBe('name_zh-Hant');
    expect(columnOf('impactProfile.humanRights')).toBe('human_rights');
    expect(columnOf('category')).toBe('category');
  });
});

describe('invitee import', () => {
  it('reads name and email, and reports bad addresses by sheet row', () => {
    expect(
      readInvitees({ buffer: Buffer.from('Name,E-mail\nAda,ada@example.com\n') }).invitees,
    ).toEqual([{ name: 'Ada', email: 'ada@example.com' }]);
    try {
      readInvitees({ buffer: Buffer.from('name,email\n\nBad,bad@\n') });
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).fields).toEqual([
        { path: 'row 3: email', message: 'validation.email' },
      ]);
    }
  });
});

type Tree = { [k: string]: string | Tree };
const leaves = (obj: Tree, prefix = ''): string[] =>
  Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('locales of the set-up pages', () => {
  it.each([assessLocales, linkLocales])(
    '$namespace has the same non-empty keys in en, zh-Hant and zh-Hans',
    (bundle) => {
      const en = leaves(bundle.en as Tree).sort();
      for (const l of ['en', 'zh-Hant', 'zh-Hans'] as const) {
        expect(leaves(bundle[l] as Tree).sort()).toEqual(en);
        const t = translator(l);
        expect(en.filter((k) => !String(t(`${bundle.namespace}.${k}`)).trim())).toEqual([]);
      }
    },
  );

  it('uses Hong Kong wording in zh-Hant', () => {
    const all = JSON.stringify(assessLocales['zh-Hant']) + JSON.stringify(linkLocales['zh-Hant']);
    expect(all).toContain('持份者');
    expect(all).not.toContain('利益相關方');
  });

  it('has every literal key used by the views and routes', () => {
    const roots = [
      path.join(__dirname, '../../views/assessments'),
      path.join(__dirname, '../../src/assessments'),
    ];
    const files = roots
      .flatMap((r) => fs.readdirSync(r, { recursive: true }).map((f) => path.join(r, String(f))))
      .filter((f) => /\.(ejs|ts)$/.test(f));
    const keys = new Set<string>();
    for (const f of files)
      for (const m of fs
        .readFileSync(f, 'utf8')
        .matchAll(/'((?:assess|links)\.[A-Za-z0-9_.-]+[A-Za-z0-9])'/g))
        keys.add(m[1]!);
    expect(keys.size).toBeGreaterThan(100);
    const t = translator('en');
    const missing = [...keys].filter((k) => t(k) === k);
    expect(missing).toEqual([]);
  });
});

describe('group patch', () => {
  it('leaves weight and target alone when a patch omits them', () => {
    expect(groupPatchSchema.parse({ kind: 'internal' })).toEqual({ kind: 'internal' });
  });
});
