import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { buffered } from '../../src/exports/xlsx';

// The export's flow control reads exceljs internals (see `buffered` in src/exports/xlsx.ts). These
// tests pin what it relies on, so an upgrade that moves them fails here, not in production memory.
describe('exceljs internals the streamed export relies on', () => {
  it('is the version buffered() was checked against', () => {
    expect((require('exceljs/package.json') as { version: string }).version).toBe('4.4.0'); // eslint-disable-line @typescript-eslint/no-require-imports -- package.json is not an ES module
  });

  it('counts the bytes a sheet has queued while nobody reads the output, and none once it drains', async () => {
    const out = new PassThrough();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const ws = wb.addWorksheet('Data');
    const before = buffered(ws); // the sheet's XML header
    for (let i = 0; i < 2000; i++)
      ws.addRow([i, `row ${i} with some text to make it longer`]).commit();
    expect(buffered(ws) - before).toBeGreaterThan(10_000);

    out.resume();
    ws.commit();
    await wb.commit();
    expect(buffered(ws)).toBe(0);
  });
});
