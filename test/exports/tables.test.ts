import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { defaultSettings, DEFAULT_PROFILE } from '../../src/assessments/model/defaults';
import type { Assessment } from '../../src/assessments/model/assessment.types';
import { resultsFrom } from '../../src/results/results.service';
import { answerColumns, buildExportTables, type ResponseRecord } from '../../src/exports/tables';
import { ExportAborted, safeSheetName, writeXlsx } from '../../src/exports/xlsx';
import { contentDisposition, pseudonymiser } from '../../src/exports/export.service';

const tally = (values: number[], dontKnow = 0) => ({
  n: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  sumSq: values.reduce((a, b) => a + b * b, 0),
  dontKnow,
});

function assessment(over: Partial<Assessment> = {}): Assessment {
  return {
    _id: 'a'.repeat(24),
    name: 'Pure',
    reportingYear: 2025,
    template: 'blank',
    status: 'open',
    settings: {
      ...defaultSettings(),
      instruments: { impact: { mode: 'assessment' }, financial: { mode: 'assessment' } },
    },
    topics: [
      {
        code: 'T1',
        name: { en: 'One', 'zh-Hans': '一' },
        description: { en: '' },
        category: 'E',
        impactProfile: { ...DEFAULT_PROFILE },
      },
      {
        code: 'T2',
        name: { en: 'Two' },
        description: { en: '' },
        category: 'S',
        impactProfile: { nature: 'positive', occurrence: 'potential', humanRights: false },
      },
    ],
    groups: [
      {
        code: 'constructor',
        name: { en: 'Odd code' },
        kind: 'external',
        weight: 2,
        instruments: ['impact'],
        targetResponses: 10,
      },
      {
        code: 'FIN',
        name: { en: 'Finance' },
        kind: 'internal',
        weight: 1,
        instruments: ['financial'],
        targetResponses: 3,
      },
    ],
    iros: [
      {
        id: 'i2',
        topic: 'T2',
        type: 'opportunity',
        actuality: 'potential',
        stage: 'downstream',
        horizon: 'long',
        description: 'second',
      },
      {
        id: 'i1',
        topic: 'T1',
        type: 'impact-positive',
        actuality: 'actual',
        stage: 'upstream',
        horizon: 'short',
        description: 'first',
      },
    ],
    locked: true,
    createdAt: new Date(),
    updatedAt: new Date(),
    createdBy: 'x',
    ...over,
  };
}

function build(a = assessment(), overrides?: Record<string, unknown>) {
  const stats = {
    _id: a._id,
    responses: { total: 9, byGroup: { constructor: 6, FIN: 3 } },
    links: {},
    tallies: {
      T1: {
        impact: { constructor: tally([4, 4, 3, 5, 2, 4]) },
        financial: { FIN: tally([1.6, 2.4, 4], 0) },
      },
      T2: { impact: { constructor: tally([3, 3, 3, 3, 3], 1) } },
    },
    updatedAt: new Date('2025-03-01T00:00:00Z'),
  };
  const stored = Object.entries(overrides ?? {}).map(([topic, o]) => ({
    ...(o as { material: boolean; rationale: string; by: string; at: string }),
    topic,
    byId: 'x',
    at: new Date((o as { at: string }).at),
  }));
  const results = resultsFrom({ ...a, ...(overrides ? { overrides: stored } : {}) }, stats);
  return {
    a,
    results,
    tables: buildExportTables(
      results,
      a,
      'en',
      { pseudonym: (id) => `anon-${id.length}` },
      new Date('2025-03-02T10:20:30Z'),
    ),
  };
}

describe('table builders', () => {
  it('rankings: numbers stay numbers, an empty axis is null, overrides show their rationale', () => {
    const { results, tables } = build(assessment(), {
      T2: { material: true, rationale: 'Board decision', by: 'x', at: '2025-01-01' },
    });
    const t2 = tables.rankings.rows.find((r) => r[1] === 'T2')!;
    const r2 = results.topics.find((t) => t.code === 'T2')!;
    expect(t2[4]).toBe(r2.impact.score);
    expect(t2[5]).toBeNull();
    expect(t2[7]).toBe(0);
    expect(t2[9]).toBe('Yes');
    expect(t2[10]).toBe(r2.computedMaterial ? 'Yes' : 'No');
    expect(t2[13]).toBe('Board decision');
    expect(tables.rankings.columns.map((c) => c.kind)).toEqual([
      'int',
      'text',
      'text',
      'text',
      'decimal',
      'decimal',
      'int',
      'int',
      'text',
      'text',
      'text',
      'text',
      'decimal',
      'text',
    ]);
  });

  it('groups and per-group scores read records by own keys only (a group may be called "constructor")', () => {
    const { tables } = build();
    expect(tables.groups.rows).toEqual([
      ['constructor', 'Odd code', 'External', 2, 'Impact', 10, 6],
      ['FIN', 'Finance', 'Internal', 1, 'Financial', 3, 'fewer than 5'],
    ]);
    const fin = tables.perGroup.rows.find((r) => r[0] === 'T1' && r[3] === 'FIN')!;
    expect(fin.slice(5)).toEqual([null, null, 'fewer than 5', null]);
    const imp = tables.perGroup.rows.find((r) => r[0] === 'T1' && r[3] === 'constructor')!;
    expect(imp[5]).toBeCloseTo(11 / 3, 12);
    expect(imp[7]).toBe(6);
    expect(imp[8]).toBe(0);
  });

  it('IRO register follows the topic order, Method lists settings and every formula', () => {
    const { tables } = build();
    expect(tables.iros.rows.map((r) => r[6])).toEqual(['first', 'second']);
    const method = new Map(tables.method.rows.map((r) => [r[0], r[1]]));
    expect(method.get('Method id')).toBe('dma-v1');
    expect(method.get('Generated at (UTC)')).toBe('2025-03-02 10:20:30');
    expect(method.get('Impact questionnaire mode')).toBe('assessment');
    expect(method.get('Weight of group constructor (Odd code)')).toBe(2);
    expect([...method.keys()].filter((k) => String(k).startsWith('§'))).toHaveLength(24);
  });

  it('response columns follow the questionnaire: criteria per impact profile and mode', () => {
    expect(
      answerColumns(assessment()).map((c) => `${c.instrument}:${c.topic}:${c.criterion}`),
    ).toEqual([
      'impact:T1:scale',
      'impact:T1:scope',
      'impact:T1:irremediability',
      'impact:T2:scale',
      'impact:T2:scope',
      'impact:T2:likelihood',
      'financial:T1:magnitude',
      'financial:T1:likelihood',
      'financial:T2:magnitude',
      'financial:T2:likelihood',
    ]);
  });

  it('response rows: pseudonymous id, names, the day, answers 1..5, DK for dont-know or empty, nothing else', () => {
    const { tables } = build();
    const doc = {
      _id: 'p_0123456789abcdef0123456789abcdef',
      group: 'constructor',
      linkRef: '0123456789abcdef0123456789abcdef',
      lang: 'en',
      submittedAt: new Date('2025-01-01T23:59:58.123Z'),
      durationMs: 61_500,
      userAgentClass: 'desktop',
      answers: [
        { instrument: 'financial', topic: 'T1', magnitude: 4, likelihood: null },
        { instrument: 'financial', topic: 'T9', magnitude: 4 },
        { instrument: 'impact', topic: 'T2', scale: 7, scope: 2.5, likelihood: 3 },
      ],
    } as ResponseRecord;
    const row = tables.responses.row(doc)!;
    expect(row.slice(0, 6)).toEqual([
      'anon-34',
      'Odd code',
      'English',
      new Date('2025-01-01T00:00:00Z'),
      62,
      'Desktop',
    ]);
    expect(row.slice(6)).toEqual([null, null, null, null, null, 3, 4, 'DK', null, null]); // likelihood: don't know
    expect(JSON.stringify(row)).not.toContain('0123456789abcdef');
    // FIN (3 responses) is the only group of its questionnaire: its rows are not listed.
    expect(tables.responses.row({ ...doc, group: 'FIN' })).toBeNull();
  });

  it('pseudonyms are stable per secret and assessment, and do not contain the stored id', () => {
    const p = pseudonymiser('s'.repeat(32), 'a1');
    expect(p('p_abc')).toBe(p('p_abc'));
    expect(p('p_abc')).toMatch(/^[0-9a-f]{16}$/);
    expect(p('p_abc')).not.toBe(pseudonymiser('s'.repeat(32), 'a2')('p_abc'));
    expect(p('p_abc')).not.toBe(pseudonymiser('t'.repeat(32), 'a1')('p_abc'));
  });

  it('file names: ASCII fallback plus the exact UTF-8 name', () => {
    expect(contentDisposition('小米 ESG 評估', '-2025.xlsx')).toBe(
      `attachment; filename="ESG-2025.xlsx"; filename*=UTF-8''%E5%B0%8F%E7%B1%B3%20ESG%20%E8%A9%95%E4%BC%B0-2025.xlsx`,
    );
    expect(contentDisposition('氣候', '-2025.csv')).toMatch(
      /^attachment; filename="assessment-2025.csv"; /,
    );
    expect(contentDisposition('Café "x"; y', '.csv')).toBe(
      `attachment; filename="Cafe_x_y.csv"; filename*=UTF-8''Caf%C3%A9%20_x_%3B%20y.csv`,
    );
    expect(safeSheetName('a/b[c]:d*e?f\\g' + 'x'.repeat(40))).toHaveLength(31);
  });
});

describe('XLSX writer flow control', () => {
  it('stops reading responses while the client does not read, and gives up when it goes away', async () => {
    const { tables } = build();
    let pulled = 0;
    // eslint-disable-next-line @typescript-eslint/require-await -- stands in for a database cursor: async, with nothing to wait for
    async function* many(): AsyncGenerator<ResponseRecord> {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield {
          _id: `r${i}`,
          group: 'constructor',
          lang: 'en',
          // Rows that differ as real ones do (days, durations): near-identical rows compress so
          // well that the zip takes input for a long time before its output fills up.
          submittedAt: new Date(Date.UTC(2025, 0, 1) + (i % 300) * 86_400_000),
          durationMs: ((i * 2_654_435_761) % 4_294_967_296) % 86_400_000,
          answers: [{ instrument: 'impact', topic: 'T1', scale: 3, scope: 4, irremediability: 5 }],
        };
      }
    }
    const out = new PassThrough(); // nobody reads it
    const done = writeXlsx(out, tables, many());
    done.catch(() => undefined);
    try {
      // The compressed stream's buffers fill first, then at most MAX_BUFFERED bytes of XML wait: then it stops.
      let before = -1;
      // Up to a minute: on a shared machine rows are made at about 2,000 a second.
      for (let waited = 0; pulled !== before && waited < 60_000; waited += 400) {
        before = pulled;
        await new Promise((r) => setTimeout(r, 400));
      }
      expect(pulled).toBe(before);
      expect(pulled).toBeLessThan(200_000);
    } finally {
      out.destroy();
    }
    await expect(done).rejects.toBeInstanceOf(ExportAborted);
    expect(pulled).toBeLessThan(200_000);
  }, 90_000);

  it('writes a complete workbook to any writable stream', async () => {
    const { tables } = build();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    // eslint-disable-next-line @typescript-eslint/require-await -- stands in for a database cursor: async, with nothing to wait for
    async function* two(): AsyncGenerator<ResponseRecord> {
      yield { _id: 'one', group: 'constructor', answers: [] };
      yield { _id: 'two', group: 'FIN', answers: [] };
    }
    await writeXlsx(out, tables, two());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Responses')!.rowCount).toBe(3);
  });
});
