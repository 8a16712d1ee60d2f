import ExcelJS from 'exceljs';
import { round4 } from '../../src/exports/csv';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { asBuffer } from './binary';
import { exportFixture } from './fixtures';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
let fx: Awaited<ReturnType<typeof exportFixture>>;

beforeAll(async () => {
  fx = await exportFixture(app);
});

async function workbook(lang: string) {
  const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/export.xlsx?lang=${lang}`));
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body);
  return { res, wb };
}

describe('CSV numbers', () => {
  it('rounds to at most 4 decimals, half away from zero, without binary noise', () => {
    expect(round4(1.7999999999999998)).toBe(1.8);
    expect(String(round4(0.1 + 0.2))).toBe('0.3');
    expect(round4(2.00005)).toBe(2.0001);
    expect(round4(-2.00005)).toBe(-2.0001);
    expect(round4(29 / 12)).toBe(2.4167);
    expect(round4(3)).toBe(3);
    expect(round4(1e-9)).toBe(0);
    expect(round4(-0.00004)).toBe(0);
    expect(round4(1e22)).toBe(1e22);
    for (let i = 0; i < 2000; i++) {
      const v = ((i * 7919) % 10007) / 1237 + i / 3;
      expect(String(round4(v))).toMatch(/^\d+(\.\d{1,4})?$/);
      expect(Math.abs(round4(v) - v)).toBeLessThanOrEqual(0.00005 + 1e-12);
    }
  });
});

describe('workbook formats', () => {
  it('keeps full precision in score cells behind a two-decimal number format', async () => {
    const { wb } = await workbook('en');
    const results = (await fx.api.get(`/api/v1/assessments/${fx.id}/results`)).body as {
      topics: { code: string; impact: { score: number | null } }[];
    };
    for (const sheet of ['Rankings', 'Matrix data']) {
      const ws = wb.getWorksheet(sheet)!;
      const col = sheet === 'Rankings' ? 5 : 4;
      results.topics.forEach((t, i) => {
        const cell = ws.getRow(i + 2).getCell(col);
        expect(cell.numFmt).toBe('0.00');
        expect(cell.value).toBe(t.impact.score);
      });
    }
    expect(
      results.topics.some(
        (t) => t.impact.score !== null && !Number.isInteger(t.impact.score * 100),
      ),
    ).toBe(true);
  });

  it('embeds the matrix picture (PNG) in the Matrix sheet', async () => {
    const { wb } = await workbook('zh-Hant');
    const ws = wb.getWorksheet('矩陣數據')!;
    const images = ws.getImages();
    expect(images).toHaveLength(1);
    const image = wb.getImage(Number(images[0]!.imageId));
    expect(image.extension).toBe('png');
    const png = Buffer.from(image.buffer as unknown as ArrayBuffer);
    expect(png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
    expect(png.readUInt32BE(16)).toBe(1600); // IHDR width
    // Beside the table, not over it.
    expect(images[0]!.range.tl.nativeCol).toBeGreaterThanOrEqual(6);
    for (const other of wb.worksheets.filter((w) => w !== ws))
      expect(other.getImages()).toEqual([]);
  });

  it('names the Responses columns in the file language, with the codes in a second header row', async () => {
    const { wb } = await workbook('zh-Hant');
    const ws = wb.getWorksheet('回覆')!;
    const names = (ws.getRow(1).values as unknown[]).slice(1);
    const codes = (ws.getRow(2).values as unknown[]).slice(1);
    expect(names.slice(0, 4)).toEqual(['回覆編號', '組別', '語言', '提交日期（UTC）']);
    expect(names[codes.indexOf('impact:CLIM:significance')]).toBe('影響：氣候變化（重要性）');
    expect(codes.slice(0, 3)).toEqual(['response_id', 'group', 'lang']);
    const groups = new Set<unknown>();
    for (let r = 3; r <= ws.rowCount; r++) groups.add(ws.getRow(r).getCell(2).value);
    // Managers has no zh-Hant name: English is the fallback; A and B are merged (B is small).
    expect([...groups].sort()).toEqual(['Managers', '回覆少於 5 份的組別']);
  });

  it('gives every file a safe name with the year, the kind and the language', async () => {
    // A CSV's name ends with the review stamp (a workbook carries it on every sheet instead).
    const cases = [
      ['export.xlsx', 'en', 'results', 'xlsx'],
      ['export.xlsx', 'zh-Hans', 'results', 'xlsx'],
      ['export.csv', 'zh-Hant', 'rankings-zh-Hant-provisional', 'csv'],
      ['responses.csv', 'en', 'responses-en-provisional', 'csv'],
    ] as const;
    for (const [path, lang, kind, ext] of cases) {
      const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/${path}?lang=${lang}`));
      expect(res.status).toBe(200);
      const disposition = String(res.headers['content-disposition']);
      const name = ext === 'csv' ? `2025-${kind}.${ext}` : `2025-${kind}-${lang}.${ext}`;
      expect(disposition).toContain(`filename="Exports-${name}"`);
      expect(disposition).toContain(
        `filename*=UTF-8''${encodeURIComponent(`Exports 測試-${name}`)}`,
      );
    }
  });
});
