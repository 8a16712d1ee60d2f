import ExcelJS from 'exceljs';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { binary } from '../exports/binary';
import { closedAssessment, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

async function sheets(api: Awaited<ReturnType<typeof apiClient>>, id: string, lang = 'en') {
  const r = await api
    .get(`/api/v1/assessments/${id}/export.xlsx?lang=${lang}`)
    .buffer(true)
    .parse(binary);
  expect(r.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.body as never);
  return wb.worksheets.map((ws) => ({ name: ws.name, header: ws.headerFooter.oddHeader ?? '' }));
}

it('every XLSX sheet and the matrix SVG and PNG carry the stamp, provisional then signed off', async () => {
  const { id } = await closedAssessment(app);
  const viewer = await apiClient(app, 'viewer');
  for (const s of await sheets(viewer, id))
    expect(s.header).toContain('Provisional — not signed off');
  expect((await sheets(viewer, id, 'zh-Hant'))[0]!.header).toContain('暫定——尚未審批');
  const svg = await viewer.get(`/api/v1/assessments/${id}/matrix.svg`).buffer(true).parse(binary);
  expect((svg.body as Buffer).toString('utf8')).toContain('Provisional — not signed off');

  const approver = await apiClient(app, 'approver');
  expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
  const stamp = `Signed off on ${SIGN.meetingDate} by ${SIGN.body}`;
  for (const s of await sheets(viewer, id)) expect(s.header).toContain(stamp);
  const signedSvg = await viewer
    .get(`/api/v1/assessments/${id}/matrix.svg`)
    .buffer(true)
    .parse(binary);
  expect((signedSvg.body as Buffer).toString('utf8')).toContain(stamp);
  const png = await viewer.get(`/api/v1/assessments/${id}/matrix.png`).buffer(true).parse(binary);
  expect(png.status).toBe(200);
});
