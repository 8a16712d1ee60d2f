import ExcelJS from 'exceljs';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { makeApp, loggedInAgent } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { exportFixture, TOPICS } from './fixtures';
import { asBuffer } from './binary';
import type { Results } from '../../src/results/results.service';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

async function load(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** Row values without exceljs's leading empty slot. */
const values = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1);

let fx: Awaited<ReturnType<typeof exportFixture>>;
let results: Results;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  fx = await exportFixture(app);
  results = (await fx.api.get(`/api/v1/assessments/${fx.id}/results`)).body;
  const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/export.xlsx?lang=en`));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect(res.headers['content-disposition']).toBe(
    `attachment; filename="Exports-2025-results-en.xlsx"; filename*=UTF-8''Exports%20%E6%B8%AC%E8%A9%A6-2025-results-en.xlsx`,
  );
  wb = await load(res.body);
});

describe('XLSX export', () => {
  it('has the sheets in order, each with a frozen, filtered header row (two on Responses)', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Rankings',
      'Matrix data',
      'Groups',
      'Per-group scores',
      'IRO register',
      'Responses',
      'Method',
      'Method appendix',
      'Analytics',
    ]);
    for (const ws of wb.worksheets) {
      const rows = ws.name === 'Responses' ? 2 : 1;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: rows });
      const cols = ws.getRow(1).cellCount;
      expect(ws.autoFilter).toBe(`A${rows}:${ws.getColumn(cols).letter}${rows}`);
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.getColumn(1).width).toBeGreaterThan(5);
    }
  });

  it('Rankings equal the results JSON, with scores as number cells', () => {
    const ws = wb.getWorksheet('Rankings')!;
    expect(values(ws, 1)).toEqual([
      'Rank',
      'Code',
      'Name',
      'Category',
      'Impact score',
      'Financial score',
      'n impact',
      'n financial',
      'Classification',
      'Material',
      'Material (computed)',
      'Borderline',
      'Priority',
      'Override rationale',
    ]);
    expect(ws.rowCount).toBe(1 + TOPICS.length);
    results.topics.forEach((t, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(1).value).toBe(t.rank);
      expect(row.getCell(2).value).toBe(t.code);
      expect(row.getCell(3).value).toBe(TOPICS.find((x) => x.code === t.code)!.name.en);
      expect(row.getCell(4).value).toBe(t.category);
      for (const [col, v] of [
        [5, t.impact.score],
        [6, t.financial.score],
        [7, t.impact.n],
        [8, t.financial.n],
        [13, t.priority],
      ] as const) {
        expect(row.getCell(col).type).toBe(ExcelJS.ValueType.Number);
        expect(row.getCell(col).value).toBe(v);
      }
      expect(row.getCell(5).numFmt).toBe('0.00');
      expect(row.getCell(9).value).toBe(
        { double: 'Double', impact: 'Impact only', financial: 'Financial only', none: 'None' }[
          t.classification
        ],
      );
      expect(row.getCell(10).value).toBe(t.material ? 'Yes' : 'No');
      expect(row.getCell(12).value).toBe(t.borderline ? 'Yes' : 'No');
    });
    // Text that looks like a formula stays text in a workbook.
    const inj = results.topics.findIndex((t) => t.code === 'INJ1');
    expect(ws.getRow(inj + 2).getCell(3).type).toBe(ExcelJS.ValueType.String);
  });

  it('Matrix data and Groups match the results', () => {
    const m = wb.getWorksheet('Matrix data')!;
    results.topics.forEach((t, i) => {
      expect(values(m, i + 2).slice(0, 5)).toEqual([
        t.code,
        expect.any(String),
        t.category,
        t.impact.score,
        t.financial.score,
      ]);
    });
    const g = wb.getWorksheet('Groups')!;
    // B (2 responses) is below minReportN, and A is the only other group of its questionnaire.
    expect(values(g, 2)).toEqual([
      'A',
      'Customers',
      'External',
      1,
      'Impact',
      0,
      'withheld (would reveal a small group)',
    ]);
    expect(values(g, 3)).toEqual(['B', 'Board', 'Internal', 1, 'Impact', 0, 'fewer than 5']);
    expect(values(g, 4)).toEqual(['M', 'Managers', 'Internal', 1, 'Financial', 0, 6]);
  });

  it('suppresses per-group figures below minReportN', () => {
    const ws = wb.getWorksheet('Per-group scores')!;
    expect(values(ws, 1)).toEqual([
      'Topic code',
      'Topic name',
      'Axis',
      'Group code',
      'Group name',
      'Mean',
      'SD',
      'n',
      "Don't know",
    ]);
    const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => values(ws, i + 2));
    const climA = results.topics.find((t) => t.code === 'CLIM')!.impact.byGroup.A;
    const a = rows.find((r) => r[0] === 'CLIM' && r[2] === 'Impact' && r[3] === 'A')!;
    expect(climA).toBeDefined();
    expect(a[5]).toBe(climA?.mean);
    expect(a[7]).toBe(climA?.n);
    const b = rows.filter((r) => r[3] === 'B');
    expect(b).toHaveLength(TOPICS.length);
    for (const r of b) {
      expect(r[7]).toBe('fewer than 5');
      expect([r[5], r[6], r[8]]).toEqual([undefined, undefined, undefined]);
    }
  });

  it('IRO register lists the entries with labels', () => {
    const ws = wb.getWorksheet('IRO register')!;
    expect(values(ws, 2)).toEqual([
      'CLIM',
      'Climate change',
      'Risk',
      'Potential',
      'Own operations',
      'Medium term',
      '=cmd|" /C calc"!A0',
    ]);
    expect(ws.getRow(2).getCell(7).type).toBe(ExcelJS.ValueType.String);
  });

  it('Responses: one row per response, answers as numbers, nothing that links to an invitation', () => {
    const ws = wb.getWorksheet('Responses')!;
    expect(ws.rowCount).toBe(2 + fx.responses);
    const header = values(ws, 1);
    expect(header.slice(0, 6)).toEqual([
      'Response ID',
      'Group',
      'Language',
      'Submitted on (UTC date)',
      'Duration (s)',
      'Device class',
    ]);
    const name = (t: (typeof TOPICS)[number]) => t.name.en;
    expect(header.slice(6)).toEqual([
      ...TOPICS.map((t) => `Impact: ${name(t)} (significance)`),
      ...TOPICS.flatMap((t) => [
        `Financial: ${name(t)} (magnitude)`,
        `Financial: ${name(t)} (likelihood)`,
      ]),
    ]);
    expect(values(ws, 2)).toEqual([
      'response_id',
      'group',
      'lang',
      'submitted_on',
      'duration_s',
      'device',
      ...TOPICS.map((t) => `impact:${t.code}:significance`),
      ...TOPICS.flatMap((t) => [`financial:${t.code}:magnitude`, `financial:${t.code}:likelihood`]),
    ]);
    const rows = Array.from({ length: fx.responses }, (_, i) => ws.getRow(i + 3));
    const groups = rows.map((r) => r.getCell(2).value);
    // A and B take the same questionnaire, so B (2) is merged with A (7): no bucket of one group.
    expect(groups.filter((g) => g === 'groups with fewer than 5 responses')).toHaveLength(9);
    expect(groups.filter((g) => g === 'Managers')).toHaveLength(6);
    expect(new Set(rows.map((r) => r.getCell(1).value)).size).toBe(fx.responses);
    const today = new Date().toISOString().slice(0, 10);
    for (const r of rows) {
      expect(r.getCell(3).value).toBe('繁體中文');
      // The day only: no time of day that could be matched to an e-mail or a log.
      expect(r.getCell(4).value).toEqual(new Date(`${today}T00:00:00.000Z`));
      expect(r.getCell(4).numFmt).toBe('yyyy-mm-dd');
      expect(r.getCell(5).value).toBe(90);
      expect(r.getCell(6).value).toBe('Mobile');
    }
    const personalRow = rows.find((r) =>
      header.slice(6, 10).every((_, i) => r.getCell(7 + i).value === 5),
    )!;
    expect(personalRow).toBeDefined();
    expect(personalRow.getCell(7).type).toBe(ExcelJS.ValueType.Number);
    // "Don't know" is an empty cell.
    expect(
      rows.some((r) => r.getCell(10).value === null || r.getCell(10).value === undefined),
    ).toBe(true);

    const secrets = [fx.personal, fx.personalRef, ...fx.openTokens, 'linkRef', 'p_'];
    for (const sheet of wb.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          for (const s of secrets) expect(JSON.stringify(cell.value)).not.toContain(s); // objects too (rich text, links)
        }),
      );
    }
  });

  it('Method sheet names dma-v1, the thresholds as numbers, the weights and the formulas', () => {
    const ws = wb.getWorksheet('Method')!;
    const rows = new Map(
      Array.from({ length: ws.rowCount - 1 }, (_, i) => values(ws, i + 2) as [string, unknown]),
    );
    expect(rows.get('Method id')).toBe('dma-v1');
    expect(rows.get('Threshold T_impact')).toBe(3);
    expect(rows.get('Threshold T_financial')).toBe(3);
    expect(rows.get('Borderline band δ')).toBe(0.25);
    expect(rows.get('minReportN (minimum n to show a per-group figure)')).toBe(5);
    expect(rows.get('Weight of group A (Customers)')).toBe(1);
    expect(rows.get('Materiality rule')).toMatch(/^either/);
    expect(String(rows.get('§3 Axis score'))).toContain('Σ w');
    expect(String(rows.get('§2 Impact severity, assessment mode, negative impacts'))).toContain(
      'irremediability',
    );
    expect(rows.get('Responses (total)')).toBe(fx.responses);
  });

  it('uses zh-Hant sheet names, headers and labels with ?lang=zh-Hant, without switching the UI language', async () => {
    const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/export.xlsx?lang=zh-Hant`));
    expect(res.headers['set-cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^lang=/)]),
    );
    const zh = await load(res.body);
    expect(zh.worksheets.map((w) => w.name)).toEqual([
      '排名',
      '矩陣數據',
      '持份者組別',
      '按組別得分',
      'IRO 登記冊',
      '回覆',
      '方法',
      '方法附錄',
      '分析',
    ]);
    const ws = zh.getWorksheet('排名')!;
    expect(values(ws, 1).slice(0, 6)).toEqual([
      '排名',
      '代碼',
      '名稱',
      '類別',
      '影響得分',
      '財務得分',
    ]);
    const clim = results.topics.findIndex((t) => t.code === 'CLIM');
    expect(ws.getRow(clim + 2).getCell(3).value).toBe('氣候變化');
    expect(ws.getRow(clim + 2).getCell(5).value).toBe(results.topics.at(clim)!.impact.score);
    const pg = zh.getWorksheet('按組別得分')!;
    const b = Array.from({ length: pg.rowCount - 1 }, (_, i) => values(pg, i + 2)).find(
      (r) => r[3] === 'B',
    )!;
    expect(b[7]).toBe('少於 5');
    expect(values(zh.getWorksheet('方法')!, 2)).toEqual(['方法編號', 'dma-v1']);
    // Without ?lang= the request's language decides.
    const hk = await asBuffer(
      fx.api
        .get(`/api/v1/assessments/${fx.id}/export.xlsx`)
        .set('Accept-Language', 'zh-HK,en;q=0.5'),
    );
    expect((await load(hk.body)).worksheets.at(0)!.name).toBe('排名');
    expect((await load(hk.body)).worksheets.at(2)!.name).toBe('持份者組別');
  });

  it('is served on the staff route with a session, and needs a token on the API', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await asBuffer(agent.get(`/assessments/${fx.id}/export.xlsx?lang=zh-Hans`));
    expect(res.status).toBe(200);
    expect((await load(res.body)).worksheets.at(0)!.name).toBe('排名');
    expect((await request(app).get(`/api/v1/assessments/${fx.id}/export.xlsx`)).status).toBe(401);
    expect(
      (
        await request(app)
          .get(`/assessments/${fx.id}/export.xlsx`)
          .set('Accept', 'application/json')
      ).status,
    ).toBe(401);
    const viewer = await apiClient(app, 'viewer');
    expect((await asBuffer(viewer.get(`/api/v1/assessments/${fx.id}/export.xlsx`))).status).toBe(
      200,
    );
    expect(
      (await viewer.get('/api/v1/assessments/0123456789abcdef01234567/export.xlsx')).status,
    ).toBe(404);
  });
});
