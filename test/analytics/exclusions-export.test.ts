import ExcelJS from 'exceljs';
import { setExclusions } from '../../src/analytics/exclusion.service';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { asBuffer } from '../exports/binary';
import { seedFlagged } from './fixture';

useTestDb();
const app = makeApp();

describe('exports follow the exclusion', () => {
  it('counts without the excluded responses and prints the choice in the method appendix', async () => {
    forgetSpeederReferences();
    const { id, api } = await seedFlagged(app);
    const methodRows = async () => {
      const res = await asBuffer(api.get(`/api/v1/assessments/${id}/export.xlsx?lang=en`));
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      const rows = new Map<string, unknown>();
      wb.getWorksheet('Method')!.eachRow((row) =>
        rows.set(row.getCell(1).text, row.getCell(2).value),
      );
      return rows;
    };
    const before = await methodRows();
    expect(before.get('Flagged responses left out of the scores (section 7)')).toBe(
      'none (every response counts)',
    );
    expect(before.get('Responses (total)')).toBe(29);
    await setExclusions(api.user, id, { exclude: ['speeder'] });
    const after = await methodRows();
    expect(after.get('Flagged responses left out of the scores (section 7)')).toBe('Speeders');
    expect(after.get('Responses (total)')).toBe(26);
  });
});
