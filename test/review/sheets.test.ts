import ExcelJS from 'exceljs';
import request from 'supertest';
import { jobsSettled } from '../../src/analytics/job';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { forgetSpeederReferences } from '../../src/results/tallies/quality.service';
import { seedFlagged, TOPICS } from '../analytics/fixture';
import { binary } from '../exports/binary';
import { closedAssessment, decideAll, REASON, SIGN } from './review.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

type Client = Awaited<ReturnType<typeof apiClient>>;
const LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;
const APPENDIX = { en: 'Method appendix', 'zh-Hant': '方法附錄', 'zh-Hans': '方法附录' };
const ANALYTICS = { en: 'Analytics', 'zh-Hant': '分析', 'zh-Hans': '分析' };

async function workbook(api: Client, id: string, lang: string) {
  const r = await api
    .get(`/api/v1/assessments/${id}/export.xlsx?lang=${lang}`)
    .buffer(true)
    .parse(binary);
  expect(r.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.body as never);
  return wb;
}

/** Every row of a sheet as plain values (exceljs's leading empty slot dropped). */
const rowsOf = (ws: ExcelJS.Worksheet) =>
  Array.from({ length: ws.rowCount }, (_, i) => (ws.getRow(i + 1).values as unknown[]).slice(1));

interface TopicJson {
  code: string;
  rank: number;
  impact: { score: number | null };
  financial: { score: number | null };
}

it('the Method appendix sheet holds the numbers of the results JSON in each language, with the stamp', async () => {
  const { id, api } = await closedAssessment(app, { topics: ['t1', 't2', 't3'] });
  await request(app)
    .put(`/api/v1/assessments/${id}/overrides/t3`)
    .set({ Authorization: `Bearer ${api.token}` })
    .send({ material: true, rationale: REASON });
  await decideAll(app, api.token, id);
  const check = async (stamp: Record<string, string>) => {
    const results = (await api.get(`/api/v1/assessments/${id}/results`)).body;
    for (const lang of LANGS) {
      const wb = await workbook(api, id, lang);
      const ws = wb.getWorksheet(APPENDIX[lang])!;
      expect(ws).toBeDefined();
      expect(ws.headerFooter.oddHeader).toContain(stamp[lang]);
      expect(ws.getRow(1).getCell(2).value).toBe(stamp[lang]);
      const rows = rowsOf(ws);
      for (const t of results.topics as TopicJson[]) {
        const row = rows.find((r) => typeof r[1] === 'string' && r[1].endsWith(`(${t.code})`));
        expect([lang, t.code, row?.slice(0, 4)]).toEqual([
          lang,
          t.code,
          [t.rank, expect.any(String), t.impact.score ?? undefined, t.financial.score ?? undefined],
        ]);
      }
      const texts = rows.flat().filter((v): v is string => typeof v === 'string');
      expect(texts.some((s) => s.includes(REASON))).toBe(true);
      expect(texts.some((s) => s.includes('dma-v1'))).toBe(true);
      expect(texts.some((s) => s.includes('GRI 3-2'))).toBe(true);
      const thresholds = rows.find((r) => r.length === 3 && typeof r[1] === 'number')!;
      expect(thresholds.slice(1)).toEqual([
        results.settings.thresholds.impact,
        results.settings.thresholds.financial,
      ]);
    }
  };
  await check({
    en: 'Provisional — not signed off',
    'zh-Hant': '暫定——尚未審批',
    'zh-Hans': '暂定——尚未审批',
  });
  const approver = await apiClient(app, 'approver');
  expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
  await check({
    en: `Signed off on ${SIGN.meetingDate} by ${SIGN.body}`,
    'zh-Hant': `已於 ${SIGN.meetingDate} 由${SIGN.body}審批`,
    'zh-Hans': `已于 ${SIGN.meetingDate} 由${SIGN.body}审批`,
  });
});

it('the Analytics sheet says "not computed yet" until the analytics are cached, then holds their figures', async () => {
  forgetSpeederReferences();
  // Two impact groups (Kendall's W is defined) and flagged responses in group A.
  const { id, api } = await seedFlagged(app);
  const notYet = {
    en: 'Open the Analytics tab',
    'zh-Hant': '「分析」分頁',
    'zh-Hans': '“分析”标签页',
  };
  for (const lang of LANGS) {
    const ws = (await workbook(api, id, lang)).getWorksheet(ANALYTICS[lang])!;
    expect(ws.getRow(2).getCell(1).value).toEqual(expect.stringContaining(notYet[lang]));
    expect(ws.headerFooter.oddHeader).toBeTruthy();
  }
  // The export did not start a computation: the first API read still answers 202.
  const first = await api.get(`/api/v1/assessments/${id}/analytics`);
  expect(first.status).toBe(202);
  await jobsSettled();
  const an = (await api.get(`/api/v1/assessments/${id}/analytics`)).body;
  expect(an.topics.length).toBe(TOPICS.length);
  expect(an.agreement.kendallW).not.toBeNull();
  expect(an.quality.straightLining).toBeGreaterThan(0);
  const minReportN = (await api.get(`/api/v1/assessments/${id}`)).body.settings.minReportN;
  // Section 8: counts below minReportN are shown as "fewer than", except zero.
  const shown = (n: number) => (n > 0 && n < minReportN ? expect.any(String) : n);

  for (const lang of LANGS) {
    const ws = (await workbook(api, id, lang)).getWorksheet(ANALYTICS[lang])!;
    const rows = rowsOf(ws);
    for (const t of an.topics) {
      const r = rows.find((x) => x[0] === t.code)!;
      expect([lang, r.slice(2, 14)]).toEqual([
        lang,
        [
          t.rank,
          t.impact.score ?? undefined,
          t.impact.ci95?.[0],
          t.impact.ci95?.[1],
          t.financial.score ?? undefined,
          t.financial.ci95?.[0],
          t.financial.ci95?.[1],
          t.pMaterial,
          expect.any(String),
          t.rankRange90[0],
          t.rankRange90[1],
          t.pMaterialUnderWeights,
        ],
      ]);
    }
    // Method-sensitivity and leave-one-group-out changes are listed on their topic's row.
    for (const f of an.methodSensitivity.flips as { code: string; under: string }[])
      expect(rows.find((x) => x[0] === f.code)![14]).toEqual(expect.stringContaining(f.under));
    for (const l of an.leaveOneGroupOut as { group: string; flips: { code: string }[] }[])
      for (const f of l.flips)
        expect(rows.find((x) => x[0] === f.code)![15]).toEqual(
          expect.stringContaining(`${l.group}: `),
        );
    const label = (en: string, hant: string, hans: string) =>
      ({ en, 'zh-Hant': hant, 'zh-Hans': hans })[lang];
    const value = (l: string) => rows.find((x) => x[0] === l)?.[1];
    expect(value(label("Kendall's W", 'Kendall W 系數', 'Kendall W 系数'))).toBe(
      an.agreement.kendallW ?? undefined,
    );
    expect(value('χ²')).toBe(an.agreement.chi2 ?? undefined);
    expect(value(label('Degrees of freedom', '自由度', '自由度'))).toBe(
      an.agreement.df ?? undefined,
    );
    expect(value(label('p-value', 'p 值', 'p 值'))).toBe(an.agreement.pValue ?? undefined);
    const total = rows.find((x) => x[0] === label('All groups', '所有組別', '所有组别'))!;
    expect(total.slice(1, 3)).toEqual([an.quality.straightLining, an.quality.speeder]);
    for (const g of ['A', 'B']) {
      const q = an.quality.byGroup[g] ?? { straightLining: 0, speeder: 0 };
      const r = rows.find((x) => typeof x[0] === 'string' && x[0].startsWith(`${g} (`))!;
      expect(r.slice(1, 3)).toEqual([shown(q.straightLining), shown(q.speeder)]);
    }
    expect(value(label('Bootstrap resamples', '重抽次數', '重抽次数'))).toBe(
      an.bootstrap.replicates,
    );
  }
});
