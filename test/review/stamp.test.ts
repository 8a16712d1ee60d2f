import ExcelJS from 'exceljs';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { binary } from '../exports/binary';
import { staff } from '../assessments/pages.helpers';
import { closedAssessment, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

async function sheets(api: Awaited<ReturnType<typeof apiClient>>, id: string, lang = 'en') {
  const r = await api
    .get(`/api/v1/assessments/${id}/export.xlsx?lang=${lang}`)
    .buffer(true)
    .parse(binary);
  expect(r.status).toBe(200);
  expect(r.headers['x-assessment-stamp']).toMatch(/^(provisional|signed-off; date=)/);
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

/** The file name a download offers (the exact one, `filename*`, when there is one). */
function fileName(res: { headers: Record<string, string> }): string {
  const d = res.headers['content-disposition'] ?? '';
  const exact = /filename\*=UTF-8''([^;]+)/.exec(d);
  return exact ? decodeURIComponent(exact[1]!) : /filename="?([^";]+)/.exec(d)![1]!;
}

it('every CSV of an assessment carries the stamp in its file name and X-Assessment-Stamp, provisional then signed off', async () => {
  const { id } = await closedAssessment(app, { name: 'Stamped' });
  const viewer = await apiClient(app, 'viewer');
  const csvs = async () => {
    const out: { name: string; stamp: string; body: string }[] = [];
    for (const p of ['export.csv?lang=en', 'responses.csv?lang=zh-Hant', 'audit.csv']) {
      const r = await viewer.get(`/api/v1/assessments/${id}/${p}`);
      expect([p, r.status]).toEqual([p, 200]);
      out.push({ name: fileName(r), stamp: r.headers['x-assessment-stamp']!, body: r.text });
    }
    return out;
  };
  const before = await csvs();
  expect(before.map((c) => c.name)).toEqual([
    'Stamped-2025-rankings-en-provisional.csv',
    'Stamped-2025-responses-zh-Hant-provisional.csv',
    `audit-${id}-provisional.csv`,
  ]);
  for (const c of before) expect(c.stamp).toBe('provisional');
  // The first line stays the header row: the stamp is not inside the file.
  expect(before[0]!.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^Rank,/);

  const approver = await apiClient(app, 'approver');
  expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
  const after = await csvs();
  expect(after.map((c) => c.name)).toEqual([
    `Stamped-2025-rankings-en-signed-off-${SIGN.meetingDate}.csv`,
    `Stamped-2025-responses-zh-Hant-signed-off-${SIGN.meetingDate}.csv`,
    `audit-${id}-signed-off-${SIGN.meetingDate}.csv`,
  ]);
  for (const c of after)
    expect(c.stamp).toBe(`signed-off; date=${SIGN.meetingDate}; body=Board%20of%20Directors`);
  // The page download (session) is named the same way.
  const analyst = await staff(app, 'analyst');
  const page = await analyst.agent.get(`/assessments/${id}/export.csv?lang=en`);
  expect(fileName(page as never)).toBe(
    `Stamped-2025-rankings-en-signed-off-${SIGN.meetingDate}.csv`,
  );
});

it('a form page re-rendered after a 422 carries the stamp too, provisional then signed off', async () => {
  const { id } = await closedAssessment(app);
  const analyst = await staff(app, 'analyst');
  const override = await analyst.form(`/assessments/${id}/review/overrides/t1`, {
    material: 'false',
    rationale: 'too short',
  });
  expect(override.status).toBe(422);
  expect(override.text).toContain('Provisional — not signed off');
  const settings = await analyst.form(`/assessments/${id}/settings`, {
    name: '',
    'settings.languages': 'en',
  });
  expect(settings.status).toBe(422);
  expect(settings.text).toContain('Provisional — not signed off');

  const approver = await staff(app, 'approver');
  expect((await approver.form(`/assessments/${id}/review/signoff`, SIGN)).status).toBe(303);
  const reopen = await approver.form(`/assessments/${id}/review/reopen`, { reason: 'short' });
  expect(reopen.status).toBe(422);
  expect(reopen.text).toContain(`Signed off on ${SIGN.meetingDate} by ${SIGN.body}`);
  expect(reopen.text).not.toContain('Provisional — not signed off');
});
