import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { loggedInAgent, makeApp } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { exportFixture, TOPICS } from './fixtures';
import { asBuffer } from './binary';
import type { Results } from '../../src/results/results.service';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const rowsOf = (buf: Buffer): string[][] => parse(buf, { bom: true, relax_column_count: false });

let fx: Awaited<ReturnType<typeof exportFixture>>;
let results: Results;

beforeAll(async () => {
  fx = await exportFixture(app);
  results = (await fx.api.get(`/api/v1/assessments/${fx.id}/results`)).body;
});

describe('rankings CSV', () => {
  it('is UTF-8 with a BOM, CRLF records, and equals the results JSON', async () => {
    const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/export.csv?lang=en`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Exports-2025-rankings-en-provisional.csv"; filename*=UTF-8''Exports%20%E6%B8%AC%E8%A9%A6-2025-rankings-en-provisional.csv`,
    );
    const body: Buffer = res.body;
    expect(body.subarray(0, 3).equals(BOM)).toBe(true);
    expect(body.toString('utf8')).toMatch(/\r\n$/);
    const [header, ...rows] = rowsOf(body);
    expect(header).toEqual([
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
    expect(rows).toHaveLength(results.topics.length);
    rows.forEach((r, i) => {
      const t = results.topics.at(i)!;
      expect(Number(r[0])).toBe(t.rank);
      expect(r[1]).toBe(t.code);
      // Scores at most 4 decimals, rounded, without binary noise (the JSON keeps full precision).
      for (const [cell, v] of [
        [r[4], t.impact.score],
        [r[5], t.financial.score],
        [r[12], t.priority],
      ] as const) {
        expect(cell).toMatch(/^-?\d+(\.\d{1,4})?$/);
        expect(Number(cell)).toBeCloseTo(v!, 4);
        expect(Math.abs(Number(cell) - v!)).toBeLessThanOrEqual(0.00005 + 1e-12);
      }
      expect(Number(r[6])).toBe(t.impact.n);
      expect(Number(r[7])).toBe(t.financial.n);
      expect(r[9]).toBe(t.material ? 'Yes' : 'No');
    });
    const name = (code: string) => rows.find((r) => r[1] === code)![2];
    expect(name('INJ1')).toBe(`'=HYPERLINK("x")`);
    expect(name('INJ2')).toBe(`'+1`);
    // RFC 4180: the comma, the doubled quotes and the line break survive inside one quoted field.
    expect(name('WATER')).toBe('Water, "quoted"\nand a new line');
  });

  it('round-trips Chinese text with ?lang=zh-Hant (headers and names)', async () => {
    const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/export.csv?lang=zh-Hant`));
    const [header = [], ...rows] = rowsOf(res.body);
    expect(header.slice(0, 4)).toEqual(['排名', '代碼', '名稱', '類別']);
    expect(rows.find((r) => r[1] === 'CLIM')![2]).toBe('氣候變化');
    expect(rows.find((r) => r[1] === 'WATER')![2]).toBe('水資源');
    // A name without a zh-Hant translation falls back to English, still neutralised.
    expect(rows.find((r) => r[1] === 'INJ1')![2]).toBe(`'=HYPERLINK("x")`);
    const zhHans = rowsOf(
      (await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/export.csv?lang=zh-Hans`))).body,
    );
    expect(zhHans.at(0)!.slice(0, 4)).toEqual(['排名', '代码', '名称', '类别']);
    expect(zhHans.find((r) => r[1] === 'CLIM')![2]).toBe('气候变化');
  });
});

describe('responses CSV', () => {
  it('has one anonymised row per response with the answers', async () => {
    const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/responses.csv?lang=en`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('-2025-responses-en-provisional.csv');
    const body: Buffer = res.body;
    expect(body.subarray(0, 3).equals(BOM)).toBe(true);
    // Names in the file's language first, then the codes, as in the workbook.
    const [header = [], codes = [], ...rows] = rowsOf(body);
    expect(header.slice(0, 6)).toEqual([
      'Response ID',
      'Group',
      'Language',
      'Submitted on (UTC date)',
      'Duration (s)',
      'Device class',
    ]);
    expect(header).toContain('Impact: Climate change (significance)');
    expect(codes.slice(0, 6)).toEqual([
      'response_id',
      'group',
      'lang',
      'submitted_on',
      'duration_s',
      'device',
    ]);
    expect(codes).toContain('impact:CLIM:significance');
    expect(codes).toContain('financial:WATER:likelihood');
    expect(rows).toHaveLength(fx.responses);
    const text = body.toString('utf8');
    for (const s of [fx.personal, fx.personalRef, ...fx.openTokens]) expect(text).not.toContain(s);
    for (const r of rows) {
      expect(r[0]).toMatch(/^[0-9a-f]{16}$/);
      expect(r[2]).toBe('繁體中文');
      expect(r[3]).toBe(new Date().toISOString().slice(0, 10));
      expect(r[4]).toBe('90');
    }
    const col = (k: string) => codes.indexOf(k);
    // A (7) and B (2) take the impact questionnaire: B is below minReportN, so both are merged.
    const small = rows.filter((r) => r[1] === 'groups with fewer than 5 responses');
    expect(small).toHaveLength(9);
    expect(rows.filter((r) => r[1] === 'Managers')).toHaveLength(6);
    expect(small.some((r) => r[col('impact:WATER:significance')] === 'DK')).toBe(true); // don't know
    // The ids are the same pseudonyms as in the workbook, and stable between exports.
    const again = rowsOf(
      (await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/responses.csv`))).body,
    );
    expect(
      again
        .slice(2)
        .map((r) => r[0])
        .sort(),
    ).toEqual(rows.map((r) => r[0]).sort());
    // The mean of the merged groups' answers is their pooled mean in the results.
    const values = small
      .map((r) => r[col('impact:CLIM:significance')])
      .filter(Boolean)
      .map(Number);
    const { A, B } = results.topics.find((t) => t.code === 'CLIM')!.impact.byGroup;
    const pooled = (A!.n * A!.mean! + B!.n * B!.mean!) / (A!.n + B!.n);
    expect(values.reduce((x, y) => x + y, 0) / values.length).toBeCloseTo(pooled, 12);
    expect(TOPICS.length).toBe(4);
  });

  it('works on the staff routes with a session; API without a token is 401', async () => {
    const { agent } = await loggedInAgent(app, 'approver');
    const csv = await asBuffer(agent.get(`/assessments/${fx.id}/responses.csv`));
    expect(csv.status).toBe(200);
    expect(rowsOf(csv.body)).toHaveLength(2 + fx.responses);
    expect((await asBuffer(agent.get(`/assessments/${fx.id}/export.csv`))).status).toBe(200);
    for (const path of ['export.csv', 'responses.csv', 'export.xlsx']) {
      expect((await request(app).get(`/api/v1/assessments/${fx.id}/${path}`)).status).toBe(401);
      expect(
        (
          await request(app)
            .get(`/api/v1/assessments/${fx.id}/${path}`)
            .set('Authorization', 'Bearer nope')
        ).status,
      ).toBe(401);
    }
    const viewer = await apiClient(app, 'viewer');
    expect((await asBuffer(viewer.get(`/api/v1/assessments/${fx.id}/responses.csv`))).status).toBe(
      200,
    );
  });
});

describe('export page', () => {
  it('lists the downloads with a language choice, escaping the assessment name', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const page = await agent.get(`/assessments/${fx.id}/exports`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`formaction="/assessments/${fx.id}/export.xlsx"`);
    expect(page.text).toContain(`formaction="/assessments/${fx.id}/export.csv"`);
    expect(page.text).toContain(`formaction="/assessments/${fx.id}/responses.csv"`);
    expect(page.text).toMatch(/type="radio" name="lang" value="zh-Hant"/);
    expect(page.text).toContain('Exports 測試');
    const zh = await agent.get(`/assessments/${fx.id}/exports?lang=zh-Hant`);
    expect(zh.text).toContain('匯出：Exports 測試');
    expect((await agent.get('/assessments/0123456789abcdef01234567/exports')).status).toBe(404);
    expect((await request(app).get(`/assessments/${fx.id}/exports`)).status).toBe(303);

    const other = await exportFixture(app);
    expect(
      (await other.api.patch(`/api/v1/assessments/${other.id}`, { name: '<b>"Q" & A</b>' })).status,
    ).toBe(200);
    const escaped = (await agent.get(`/assessments/${other.id}/exports`)).text;
    expect(escaped).toContain('&lt;b&gt;&#34;Q&#34; &amp; A&lt;/b&gt;');
    expect(escaped).not.toContain('<b>"Q"');
    const xlsx = await asBuffer(agent.get(`/assessments/${other.id}/export.xlsx`));
    expect(xlsx.headers['content-disposition']).toBe(
      `attachment; filename="b_Q_A_b-2025-results-zh-Hant.xlsx"; filename*=UTF-8''_b_Q_%20%26%20A_b_-2025-results-zh-Hant.xlsx`,
    );
  });
});
