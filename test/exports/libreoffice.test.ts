import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import { exportFixture } from './fixtures';
import { asBuffer } from './binary';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const run = promisify(execFile);

// CSV export filter: comma, double quote, UTF-8 (76), from line 1, no column formats, language 0,
// do not quote all text, detect special numbers, NOT "as shown" (full precision, not the 0.00 format),
// no formulas, keep spaces, sheet 1 only.
const FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1';

function soffice(): string {
  const found = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error(
      'LibreOffice is required for this test but `soffice` is not on PATH. Install it with ' +
        '`apt-get install -y --no-install-recommends libreoffice-calc-nogui` (scripts/setup-test.sh does this in CI).',
    );
  }
  return found;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

describe('XLSX opened by LibreOffice', () => {
  it('converts cleanly and the Rankings sheet has the results values', async () => {
    const bin = soffice();
    const fx = await exportFixture(app);
    const results = (await fx.api.get(`/api/v1/assessments/${fx.id}/results`)).body;
    const res = await asBuffer(fx.api.get(`/api/v1/assessments/${fx.id}/export.xlsx?lang=zh-Hant`));
    expect(res.status).toBe(200);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dma-lo-'));
    const profile = path.join(os.tmpdir(), `lo-${crypto.randomBytes(6).toString('hex')}`);
    try {
      const file = path.join(dir, 'export.xlsx');
      fs.writeFileSync(file, res.body);
      const out = path.join(dir, 'out');
      await run(
        bin,
        [
          `-env:UserInstallation=file://${profile}`,
          '--headless',
          '--norestore',
          '--convert-to',
          FILTER,
          '--outdir',
          out,
          file,
        ],
        { timeout: 120_000 },
      );
      const csvs = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith('.csv')) : [];
      expect(csvs).toHaveLength(1);
      const [header = [], ...rows] = parse(fs.readFileSync(path.join(out, csvs.at(0)!)), {
        bom: true,
      });
      expect(header.slice(0, 6)).toEqual(['排名', '代碼', '名稱', '類別', '影響得分', '財務得分']);
      expect(rows).toHaveLength(results.topics.length);
      rows.forEach((r, i) => {
        const t = results.topics[i];
        expect(Number(r[0])).toBe(t.rank);
        expect(r[1]).toBe(t.code);
        expect(round6(Number(r[4]))).toBe(round6(t.impact.score));
        expect(round6(Number(r[5]))).toBe(round6(t.financial.score));
        expect(Number(r[6])).toBe(t.impact.n);
        expect(Number(r[7])).toBe(t.financial.n);
        expect(round6(Number(r[12]))).toBe(round6(t.priority));
      });
      expect(rows.find((r) => r[1] === 'CLIM')![2]).toBe('氣候變化');
      // Formula-like text stays text: LibreOffice does not evaluate it.
      expect(rows.find((r) => r[1] === 'INJ1')![2]).toBe('=HYPERLINK("x")');

      // Every sheet opens: -1 writes one CSV per sheet.
      const all = path.join(dir, 'all');
      await run(
        bin,
        [
          `-env:UserInstallation=file://${profile}`,
          '--headless',
          '--norestore',
          '--convert-to',
          FILTER.replace(/,1$/, ',-1'),
          '--outdir',
          all,
          file,
        ],
        { timeout: 120_000 },
      );
      const sheets = fs.readdirSync(all).filter((f) => f.endsWith('.csv'));
      expect(sheets).toHaveLength(9); // with Method appendix and Analytics
      const responses = sheets.find((f) => f.endsWith('-回覆.csv'))!;
      const answered = parse(fs.readFileSync(path.join(all, responses)), { bom: true });
      expect(answered).toHaveLength(2 + fx.responses);
      expect(answered.at(1)![1]).toBe('group');
      expect(answered.at(2)![3]).toMatch(/^\d{4}-\d\d-\d\d$/);
      // The Matrix sheet carries the picture of the matrix.
      expect(fs.readFileSync(file).includes('xl/drawings/drawing1.xml')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }, 180_000);
});
