import { smallGroups } from '../../src/exports/tables/small-groups';
import type { TableContext } from '../../src/exports/tables/context';

/** The little of a table context smallGroups reads: groups, their questionnaires and counts. */
function ctx(groups: [code: string, instruments: string[], n: number][], minReportN = 5) {
  return {
    a: { groups: groups.map(([code, instruments]) => ({ code, instruments })) },
    r: {
      responses: {
        byGroup: Object.fromEntries(groups.map(([code, , n]) => [code, n])),
      },
    },
    settings: { minReportN },
  } as unknown as TableContext;
}

const sets = (s: ReturnType<typeof smallGroups>) => ({
  fewer: [...s.fewer].sort(),
  withheld: [...s.withheld].sort(),
  bucket: [...s.bucket].sort(),
  omitted: [...s.omitted].sort(),
});

describe('small groups in exports', () => {
  it('shows every group when none is below minReportN; a group without responses is not small', () => {
    expect(
      sets(
        smallGroups(
          ctx([
            ['A', ['impact'], 5],
            ['B', ['impact'], 0],
          ]),
        ),
      ),
    ).toEqual({
      fewer: [],
      withheld: [],
      bucket: [],
      omitted: [],
    });
  });

  it('merges two small groups of the same questionnaire, and withholds nothing else', () => {
    const s = smallGroups(
      ctx([
        ['A', ['impact'], 12],
        ['B', ['impact'], 2],
        ['C', ['impact'], 4],
      ]),
    );
    expect(sets(s)).toEqual({ fewer: ['B', 'C'], withheld: [], bucket: ['B', 'C'], omitted: [] });
  });

  it('pairs a lone small group with the smallest other group of the same questionnaires', () => {
    const s = smallGroups(
      ctx([
        ['BIG', ['impact'], 40],
        ['MID', ['impact'], 9],
        ['ONE', ['impact'], 3],
        // Another questionnaire: its rows would show which group they are, so it is no partner.
        ['FIN', ['financial'], 6],
        ['BOTH', ['financial', 'impact'], 7],
      ]),
    );
    expect(sets(s)).toEqual({
      fewer: ['ONE'],
      withheld: ['MID'],
      bucket: ['MID', 'ONE'],
      omitted: [],
    });
  });

  it('leaves out a lone small group that has no partner (its rows would name it)', () => {
    const s = smallGroups(
      ctx([
        ['A', ['impact'], 30],
        ['M', ['financial'], 4],
      ]),
    );
    expect(sets(s)).toEqual({ fewer: ['M'], withheld: [], bucket: [], omitted: ['M'] });
  });

  it('treats a group coded like an Object property as plain data', () => {
    const s = smallGroups(
      ctx([
        ['constructor', ['impact'], 2],
        ['__proto__', ['impact'], 6],
        ['toString', ['impact'], 20],
      ]),
    );
    expect(sets(s)).toEqual({
      fewer: ['constructor'],
      withheld: ['__proto__'],
      bucket: ['__proto__', 'constructor'],
      omitted: [],
    });
  });
});
