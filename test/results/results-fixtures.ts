import type { Express } from 'express';
import request from 'supertest';
import { apiClient } from '../helpers/api';

/**
 * A blank assessment built through the JSON API: topics with names in three languages, impact
 * groups A (5 responses) and B (2: below the default minReportN of 5), financial group M (5).
 * WATER is answered "don't know" by everyone, so it has no score on either axis.
 *
 * Scores (weights 1, thresholds 3/3, rule either, exceedance):
 *   CLIMATE I = (5+4)/2 = 4.5, F = 5·4/5 = 4 → double,    P = 1.5
 *   LABOUR  I = (2+3)/2 = 2.5, F = 2·5/5 = 2 → none,      P = 0.8333
 *   ETHICS  I = (3+1)/2 = 2,   F = 5·5/5 = 5 → financial, P = 1.6667
 *   WATER   null / null → rank 4
 */
export const TOPICS = [
  {
    code: 'CLIMATE',
    name: { en: 'Climate change', 'zh-Hant': '氣候變化', 'zh-Hans': '气候变化' },
    category: 'E',
  },
  {
    code: 'LABOUR',
    name: { en: 'Labour practices', 'zh-Hant': '勞工常規', 'zh-Hans': '劳工惯例' },
    category: 'S',
  },
  {
    code: 'ETHICS',
    name: { en: 'Business ethics', 'zh-Hant': '商業道德', 'zh-Hans': '商业道德' },
    category: 'G',
  },
  {
    code: 'WATER',
    name: { en: 'Water stewardship', 'zh-Hant': '水資源管理', 'zh-Hans': '水资源管理' },
    category: 'E',
  },
] as const;

const IMPACT = {
  A: { CLIMATE: 5, LABOUR: 2, ETHICS: 3 },
  B: { CLIMATE: 4, LABOUR: 3, ETHICS: 1 },
} as const;
const FINANCIAL = { CLIMATE: [5, 4], LABOUR: [2, 5], ETHICS: [5, 5] } as const;

export async function seedAssessment(
  app: Express,
  opts: { respond?: boolean; extraTopics?: object[] } = {},
) {
  const api = await apiClient(app, 'analyst');
  const created = await api.post('/api/v1/assessments', {
    name: 'Matrix 2025',
    reportingYear: 2025,
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  for (const topic of [...TOPICS, ...(opts.extraTopics ?? [])])
    expect((await api.post(`/api/v1/assessments/${id}/topics`, topic)).status).toBe(201);
  const groups = [
    ['A', ['impact'], { en: 'Employees', 'zh-Hant': '僱員', 'zh-Hans': '员工' }],
    ['B', ['impact'], { en: 'Suppliers', 'zh-Hant': '供應商', 'zh-Hans': '供应商' }],
    ['M', ['financial'], { en: 'Management', 'zh-Hant': '管理層', 'zh-Hans': '管理层' }],
  ] as const;
  for (const [code, instruments, name] of groups) {
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/groups`, {
          code,
          name,
          kind: 'external',
          weight: 1,
          instruments,
        })
      ).status,
    ).toBe(201);
  }
  if (opts.respond === false) return { api, id };
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const link = async (group: string) =>
    (await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind: 'open' })).body[0]
      .token as string;
  const extra = (opts.extraTopics ?? []) as { code: string }[];
  const submit = async (token: string, answers: object[]) => {
    const r = await request(app).post(`/api/v1/survey/${token}`).send({ answers });
    expect(r.status).toBe(201);
  };
  for (const g of ['A', 'B'] as const) {
    const token = await link(g);
    const answers = [
      ...Object.entries(IMPACT[g]).map(([topic, significance]) => ({
        instrument: 'impact',
        topic,
        significance,
      })),
      { instrument: 'impact', topic: 'WATER', significance: null },
      ...extra.map((t) => ({ instrument: 'impact', topic: t.code, significance: 4 })),
    ];
    for (let i = 0; i < (g === 'A' ? 5 : 2); i++) await submit(token, answers);
  }
  const m = await link('M');
  const answers = [
    ...Object.entries(FINANCIAL).map(([topic, [magnitude, likelihood]]) => ({
      instrument: 'financial',
      topic,
      magnitude,
      likelihood,
    })),
    { instrument: 'financial', topic: 'WATER', magnitude: null, likelihood: null },
    ...extra.map((t) => ({ instrument: 'financial', topic: t.code, magnitude: 4, likelihood: 4 })),
  ];
  for (let i = 0; i < 5; i++) await submit(m, answers);
  return { api, id };
}

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
export function pngSize(buf: Buffer): { width: number; height: number } {
  expect(
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ).toBe(true);
  expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** supertest collects binary bodies only with a parser. */
export const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
