import mongoose from 'mongoose';
import fc from 'fast-check';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import { apiClient, fullAnswers } from '../helpers/api';
import {
  ANSWER_DEADLINE_MS,
  expectErrorShape,
  hostileJson,
  judge,
  jsonBody,
  nastyString,
  operatorObject,
  pct,
  sendBody,
  settled,
  type WireBody,
} from './hostile.helpers';

// Issue 17 §2: hostile input on every JSON route (/api/v1/**: assessment.api, invitation.api,
// results.api, matrix.api, export.api, survey.api and /me in app.ts). Whatever arrives (wrong
// types, operator objects, prototype keys, deep nesting, huge or non-finite numbers, bytes that are
// not UTF-8, unknown fields), the answer is never a 5xx and never a hang; a refusal has the api.md
// error shape and stores nothing; an acceptance stores no smuggled key. Fixed seeds: a failure
// prints its seed and path and replays the same way.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '100000' });

type Api = Awaited<ReturnType<typeof apiClient>>;
let api: Api;
let auth: Record<string, string>;
/** A draft with two topics and two groups: the target of the writes. */
let draftId: string;
/** An open assessment with an open and a personal link: the target of submissions. */
let openId: string;
let openToken: string;
let personalToken: string;
let validAnswers: unknown[];

beforeAll(async () => {
  api = await apiClient(app, 'analyst');
  auth = { Authorization: `Bearer ${api.token}` };
  const make = async (name: string) => {
    const created = await api.post('/api/v1/assessments', { name, reportingYear: 2025 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const code of ['climate', 'water'])
      expect(
        (
          await api.post(`/api/v1/assessments/${id}/topics`, {
            code,
            name: { en: code },
            category: 'E',
          })
        ).status,
      ).toBe(201);
    for (const [code, instruments] of [
      ['staff', ['impact']],
      ['board', ['financial']],
    ] as const) {
      expect(
        (
          await api.post(`/api/v1/assessments/${id}/groups`, {
            code,
            name: { en: code },
            kind: 'internal',
            weight: 1,
            instruments,
          })
        ).status,
      ).toBe(201);
    }
    return id;
  };
  draftId = await make('Draft');
  openId = await make('Open');
  expect((await api.post(`/api/v1/assessments/${openId}/status`, { status: 'open' })).status).toBe(
    200,
  );
  openToken = (
    await api.post(`/api/v1/assessments/${openId}/invitations`, { group: 'staff', kind: 'open' })
  ).body[0].token;
  personalToken = (
    await api.post(`/api/v1/assessments/${openId}/invitations`, {
      group: 'staff',
      kind: 'personal',
      count: 1,
    })
  ).body[0].token;
  validAnswers = fullAnswers((await request(app).get(`/api/v1/survey/${openToken}`)).body);
  // One response first: a refused submission would lock an unlocked assessment (the known defect
  // pinned in hostile-json.test.ts), which the properties below would report whatever they sent.
  expect(
    (await request(app).post(`/api/v1/survey/${openToken}`).send({ answers: validAnswers })).status,
  ).toBe(201);
  await settled();
});

type Method = 'get' | 'post' | 'patch';

const judged = judge();

/** Sends one request and checks what every answer must satisfy (see judge). */
function check(
  method: Method,
  path: string,
  body: WireBody | undefined,
  headers: Record<string, string> = auth,
) {
  return judged(() => {
    const req = request(app)[method](path).set(headers);
    return body
      ? sendBody(req, body)
      : req.timeout({ response: ANSWER_DEADLINE_MS, deadline: ANSWER_DEADLINE_MS });
  }, expectErrorShape);
}

const RUNS = 30;

describe('JSON bodies on every writing route', () => {
  const routes: {
    name: string;
    method: Method;
    path: () => string;
    valid: () => Record<string, unknown>;
    seed: number;
  }[] = [
    {
      name: 'POST /api/v1/assessments',
      method: 'post',
      path: () => '/api/v1/assessments',
      valid: () => ({ name: 'Hostile', reportingYear: 2025, template: 'blank' }),
      seed: 1701,
    },
    {
      name: 'PATCH /api/v1/assessments/:id',
      method: 'patch',
      path: () => `/api/v1/assessments/${draftId}`,
      valid: () => ({
        name: 'Renamed',
        settings: {
          thresholds: { impact: 3, financial: 3 },
          rule: 'either',
          rankingMethod: 'exceedance',
          borderlineBand: 0.2,
          minGroupN: 1,
          minReportN: 1,
          weights: { staff: 1, board: 2 },
          instruments: { impact: { mode: 'rating' }, financial: { mode: 'assessment' } },
          languages: ['en', 'zh-Hant'],
          intro: { en: 'Welcome' },
          privacy: { en: 'Privacy' },
          axisLabels: { impact: { en: 'Impact' }, financial: { en: 'Financial' } },
        },
      }),
      seed: 1702,
    },
    {
      name: 'POST /api/v1/assessments/:id/topics',
      method: 'post',
      path: () => `/api/v1/assessments/${draftId}/topics`,
      valid: () => ({
        code: 'new-topic',
        name: { en: 'New', 'zh-Hant': '新', 'zh-Hans': '新' },
        description: { en: 'Definition' },
        category: 'S',
        impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
      }),
      seed: 1703,
    },
    {
      name: 'POST /api/v1/assessments/:id/groups',
      method: 'post',
      path: () => `/api/v1/assessments/${draftId}/groups`,
      valid: () => ({
        code: 'new-group',
        name: { en: 'New group' },
        kind: 'external',
        weight: 2.5,
        instruments: ['impact', 'financial'],
        targetResponses: 100,
      }),
      seed: 1704,
    },
    {
      name: 'POST /api/v1/assessments/:id/status',
      method: 'post',
      path: () => `/api/v1/assessments/${draftId}/status`,
      valid: () => ({ status: 'closed' }),
      seed: 1705,
    },
    {
      name: 'POST /api/v1/assessments/:id/invitations',
      method: 'post',
      path: () => `/api/v1/assessments/${openId}/invitations`,
      valid: () => ({
        group: 'staff',
        kind: 'personal',
        emails: ['ann@example.com', { name: 'Bo', email: 'bo@example.com' }],
        label: 'Wave 1',
      }),
      seed: 1706,
    },
    {
      name: 'POST /api/v1/survey/:token (open link)',
      method: 'post',
      path: () => `/api/v1/survey/${openToken}`,
      valid: () => ({
        answers: validAnswers,
        locale: 'en',
        durationMs: 60_000,
        submissionId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      }),
      seed: 1707,
    },
    {
      name: 'POST /api/v1/survey/:token (personal link)',
      method: 'post',
      path: () => `/api/v1/survey/${personalToken}`,
      valid: () => ({ answers: validAnswers, locale: 'zh-Hant', durationMs: 1 }),
      seed: 1708,
    },
  ];

  it.each(routes)(
    '$name: never a 5xx, the error shape, nothing stored when refused',
    async ({ method, path, valid, seed }) => {
      await fc.assert(
        fc.asyncProperty(hostileJson(valid()), async (body) => {
          await check(method, path(), body);
        }),
        { seed, numRuns: RUNS },
      );
    },
  );
});

/** Path segments that are not ids: operators, prototype names, the wrong length, broken encodings. */
const hostileSegment = fc
  .oneof(
    fc.constantFrom(
      '%7B%22%24gt%22%3A%22%22%7D',
      '%7B%22%24ne%22%3Anull%7D',
      '%5B%24ne%5D',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'null',
      'undefined',
      '1e308',
      '-0',
      'NaN',
      '000000000000000000000000',
      'ffffffffffffffffffffffff',
      'FFFFFFFFFFFFFFFFFFFFFFFF',
      'a'.repeat(5000),
      'A'.repeat(64),
      'A'.repeat(65),
      '%00',
      '%E0%A4%A',
      '%FF',
      '%C0%AF',
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e',
      '%F0%9F%92%A9',
      '%20',
    ),
    // Kept under Node's 16 kB header limit, which answers 431 before the app sees the request.
    nastyString.map((s) => pct(s.slice(0, 1000)).slice(0, 4000)),
  )
  .filter((s) => s !== '');

describe('hostile ids and tokens in paths', () => {
  const targets: { method: Method; path: (x: string) => string; body?: () => WireBody }[] = [
    { method: 'get', path: (x) => `/api/v1/assessments/${x}` },
    {
      method: 'patch',
      path: (x) => `/api/v1/assessments/${x}`,
      body: () => jsonBody({ name: 'x' }),
    },
    {
      method: 'post',
      path: (x) => `/api/v1/assessments/${x}/topics`,
      body: () => jsonBody({ code: 'x', name: { en: 'x' }, category: 'E' }),
    },
    {
      method: 'post',
      path: (x) => `/api/v1/assessments/${x}/groups`,
      body: () =>
        jsonBody({ code: 'x', name: { en: 'x' }, kind: 'internal', instruments: ['impact'] }),
    },
    {
      method: 'post',
      path: (x) => `/api/v1/assessments/${x}/status`,
      body: () => jsonBody({ status: 'open' }),
    },
    {
      method: 'post',
      path: (x) => `/api/v1/assessments/${x}/invitations`,
      body: () => jsonBody({ group: 'staff', kind: 'open' }),
    },
    { method: 'get', path: (x) => `/api/v1/assessments/${x}/results` },
    { method: 'get', path: (x) => `/api/v1/assessments/${x}/matrix.svg` },
    { method: 'get', path: (x) => `/api/v1/assessments/${x}/export.csv` },
    { method: 'get', path: (x) => `/api/v1/assessments/${x}/responses.csv` },
    { method: 'get', path: (x) => `/api/v1/assessments/${x}/export.xlsx` },
    { method: 'get', path: (x) => `/api/v1/survey/${x}` },
    {
      method: 'post',
      path: (x) => `/api/v1/survey/${x}`,
      body: () => jsonBody({ answers: validAnswers }),
    },
    { method: 'get', path: (x) => `/api/v1/${x}` },
  ];

  it('answers 4xx with the error shape and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), hostileSegment, async (t, segment) => {
        const res = await check(t.method, t.path(segment), t.body?.());
        expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      { seed: 1711, numRuns: 40 },
    );
  });
});

/** Query strings: repeated, bracketed, operator-like, huge or non-finite values. */
const hostileQueryValue = fc.oneof(
  fc.constantFrom(
    '',
    '__proto__',
    'constructor',
    '{"$gt":""}',
    '1e308',
    '-1',
    'NaN',
    'Infinity',
    '-0',
    '0x10',
    'x'.repeat(10_000),
    '%FF',
    '%00',
    'en',
    'zh-Hant',
    'staff',
    '0',
    '1',
  ),
  nastyString.map((s) => s.slice(0, 2000)),
);

describe('hostile query strings on the reading routes', () => {
  const reads = ['results', 'matrix.svg', 'matrix.png', 'export.csv', 'responses.csv'];
  const names = fc.constantFrom(
    'group',
    'lang',
    'labels',
    'width',
    'group[$ne]',
    'lang[]',
    '__proto__',
    'constructor[prototype][polluted]',
    'limit',
    'before',
  );

  it('never answers 5xx, and refuses with the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.array(fc.tuple(names, hostileQueryValue), { minLength: 1, maxLength: 4 }),
        async (read, params) => {
          // Each value kept under Node's 16 kB header limit (beyond it Node answers 431 before the app sees the request).
          const query = params
            .map(
              ([k, v]) =>
                `${encodeURIComponent(k)}=${v.startsWith('%') ? v : pct(v).slice(0, 3000)}`,
            )
            .join('&');
          await check('get', `/api/v1/assessments/${openId}/${read}?${query}`, undefined);
        },
      ),
      { seed: 1712, numRuns: 25 },
    );
  });
});

describe('hostile Authorization headers', () => {
  const header = fc.oneof(
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'Bearer {"$gt":""}',
      'Bearer a b',
      'Basic YTpi',
      'bearer',
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer \u00ff\u00fe',
      'Bearer __proto__',
      'Bearer constructor',
      'Bearer null',
    ),
    fc.string({ maxLength: 200 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`),
  );
  it('answers 401 with the error shape, whatever the route', async () => {
    await fc.assert(
      fc.asyncProperty(
        header,
        fc.constantFrom(
          '/api/v1/me',
          '/api/v1/assessments',
          `/api/v1/assessments/${draftId}`,
          `/api/v1/assessments/${draftId}/results`,
        ),
        async (h, path) => {
          const res = await check('get', path, undefined, { Authorization: h });
          expect(res.status).toBe(401);
        },
      ),
      { seed: 1713, numRuns: 15 },
    );
  });

  it('answers 401 for a token given as an operator object in a JSON body', async () => {
    const res = await check(
      'post',
      '/api/v1/assessments',
      jsonBody({ token: { $gt: '' }, name: 'x', reportingYear: 2025 }),
      {},
    );
    expect(res.status).toBe(401);
  });
});

describe('operator objects where ids, tokens, e-mails and values belong', () => {
  it('refuses them in every such field with a 422 that names the field', async () => {
    await fc.assert(
      fc.asyncProperty(operatorObject, async (op) => {
        const invitations = `/api/v1/assessments/${openId}/invitations`;
        const survey = `/api/v1/survey/${openToken}`;
        // [path, body, the field the refusal names (or a field inside it)]
        const cases: [string, object, string][] = [
          [invitations, { group: op, kind: 'open' }, 'group'],
          [
            invitations,
            { group: 'staff', kind: 'personal', emails: [JSON.stringify(op)] },
            'emails.0',
          ],
          [invitations, { group: 'staff', kind: 'personal', emails: [{ email: op }] }, 'emails.0'],
          [survey, { answers: validAnswers, submissionId: op }, 'submissionId'],
          [
            survey,
            { answers: [{ instrument: 'impact', topic: op, significance: 3 }] },
            'answers.0',
          ],
          [
            survey,
            { answers: [{ instrument: op, topic: 'climate', significance: op }] },
            'answers.0',
          ],
          [survey, { answers: op }, 'answers'],
          [`/api/v1/assessments/${draftId}/status`, { status: op }, 'status'],
          [
            `/api/v1/assessments/${draftId}/topics`,
            { code: op, name: { en: 'x' }, category: 'E' },
            'code',
          ],
          [
            `/api/v1/assessments/${draftId}/groups`,
            { code: 'g', name: { en: op }, kind: 'internal', weight: op, instruments: ['impact'] },
            'name.en',
          ],
        ];
        for (const [path, body, field] of cases) {
          // (An operator object as a whole entry of `emails` is the known defect pinned below.)
          const res = await check('post', path, jsonBody(body));
          const fields = (
            (res.body as { error?: { details?: { path: string }[] } }).error?.details ?? []
          ).map((d) => d.path);
          expect({
            body,
            status: res.status,
            named: fields.some((f) => f === field || f.startsWith(`${field}.`)),
          }).toEqual({ body, status: 422, named: true });
        }
      }),
      { seed: 1714, numRuns: 5 },
    );
  });
});

// KNOWN DEFECT, in src/invitations/link.service.ts (not ours to edit): an entry of `emails` may be an
// invitee object, whose schema is a non-strict z.object with `name` and `email` both optional. So
// `{"$gt": ""}` (or `{}`) loses its unknown key and passes as an invitee with neither: 201 and a
// personal link for nobody, where the CSV upload demands a name or an e-mail per row. When the
// schema is made strict and demands one of them, this test fails: make it an ordinary `it`.
describe('known defect: operator object as an invitee', () => {
  it('is refused with 422 (it used to answer 201 and make an anonymous link)', async () => {
    const res = await check(
      'post',
      `/api/v1/assessments/${openId}/invitations`,
      jsonBody({ group: 'staff', kind: 'personal', emails: [{ $gt: '' }] }),
    );
    expect(res.status).toBe(422);
  });
});

// KNOWN DEFECT, in src/surveys/survey.service.ts (not ours to edit), since e9fa862: submitResponse
// locks the assessment (lockedContext → markLocked) before validateAnswers, so a refused submission
// (422, nothing stored) still freezes topics, groups and instrument modes of an assessment that has
// no response (staff edits then answer 409 assessment_locked). Anyone holding an open link can do
// it with `{"answers": 1}`. When the answers are checked before the lock (and again after it, as
// the commit intends), this test fails: make it an ordinary `it`.
describe('known defect: a refused submission locks the assessment', () => {
  it('leaves an unlocked assessment unlocked (a refused submission used to lock it)', async () => {
    const fresh = (await api.post('/api/v1/assessments', { name: 'Unlocked', reportingYear: 2025 }))
      .body.id as string;
    expect(
      (
        await api.post(`/api/v1/assessments/${fresh}/topics`, {
          code: 'climate',
          name: { en: 'Climate' },
          category: 'E',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api.post(`/api/v1/assessments/${fresh}/groups`, {
          code: 'staff',
          name: { en: 'Staff' },
          kind: 'internal',
          instruments: ['impact'],
        })
      ).status,
    ).toBe(201);
    expect((await api.post(`/api/v1/assessments/${fresh}/status`, { status: 'open' })).status).toBe(
      200,
    );
    const link = (
      await api.post(`/api/v1/assessments/${fresh}/invitations`, { group: 'staff', kind: 'open' })
    ).body[0].token as string;
    const res = await request(app)
      .post(`/api/v1/survey/${link}`)
      .send({ answers: [{ instrument: 'impact', topic: 'no-such-topic', significance: 9 }] });
    expect(res.status).toBe(422);
    expect(
      await mongoose.connection.collection('inbox').countDocuments({ assessmentId: fresh }),
    ).toBe(0);
    const later = await api.post(`/api/v1/assessments/${fresh}/topics`, {
      code: 'water',
      name: { en: 'Water' },
      category: 'E',
    });
    expect(later.status).toBe(201);
  });
});
