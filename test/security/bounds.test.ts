import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import { apiClient, fullAnswers } from '../helpers/api';
import { staff } from '../assessments/pages.helpers';
import {
  expectErrorPage,
  expectErrorShape,
  formBody,
  jsonBody,
  judge,
  sendBody,
  settled,
  withPath,
  type FormFields,
} from './hostile.helpers';

// Every number and text that is stored has bounds, and a value beyond them is a 422 that names the
// field and stores nothing. Each bound is tried just inside (accepted) and just outside (refused):
// names 200, definitions and IRO descriptions 2000, intro texts 5000, privacy notices 10,000, axis
// labels 100, codes 40, reporting years 1990–2100, thresholds in (0, 5], borderline band 0–2,
// minGroupN and minReportN 1–1000, weights 0–1000, targets 0–10,000,000, links 1–10,000 per request,
// link labels and invitee names 200, invitee e-mails 320, account e-mails 254, API token names 100,
// answers 1–5 and durations 0–86,400,000 ms.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '100000' });

let api: Awaited<ReturnType<typeof apiClient>>;
let draftId: string;
let openId: string;
let openToken: string;
let answers: { instrument: string; topic: string; [criterion: string]: unknown }[];

beforeAll(async () => {
  api = await apiClient(app, 'analyst');
  const make = async (name: string) => {
    const id = (await api.post('/api/v1/assessments', { name, reportingYear: 2025 })).body
      .id as string;
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/topics`, {
          code: 'climate',
          name: { en: 'Climate' },
          category: 'E',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/groups`, {
          code: 'staff',
          name: { en: 'Staff' },
          kind: 'internal',
          instruments: ['impact'],
        })
      ).status,
    ).toBe(201);
    return id;
  };
  draftId = await make('Bounds');
  openId = await make('Open');
  expect((await api.post(`/api/v1/assessments/${openId}/status`, { status: 'open' })).status).toBe(
    200,
  );
  openToken = (
    await api.post(`/api/v1/assessments/${openId}/invitations`, { group: 'staff', kind: 'open' })
  ).body[0].token;
  answers = fullAnswers((await request(app).get(`/api/v1/survey/${openToken}`)).body);
  // One response first: a refused submission would lock an unlocked assessment (the known defect
  // pinned in hostile-json.test.ts), which the properties below would report whatever they sent.
  expect((await request(app).post(`/api/v1/survey/${openToken}`).send({ answers })).status).toBe(
    201,
  );
  await settled();
});

const judged = judge();
const chars = (n: number, c = 'x') => c.repeat(n);
let serial = 0;
/** A fresh code for each accepted topic or group (the bound under test is not the code's). */
const fresh = () => `c${++serial}`;

interface Bound {
  /** The field as error details name it (or a field inside it, for a list). */
  field: string;
  /** Where the refusal is reported, when not at `field` (zod names a union's failure at the union). */
  reported?: string;
  inside: unknown[];
  outside: unknown[];
}

interface Route {
  name: string;
  method: 'post' | 'patch';
  path: () => string;
  /** A valid body; each bound replaces the value at its field. */
  valid: () => Record<string, unknown>;
  /** The field's path inside the body, when it differs from the error's. */
  at?: (field: string) => string;
  bounds: Bound[];
}

const localized = (field: string, max: number, c = 'x'): Bound => ({
  field,
  inside: [chars(max, c), ` ${chars(max, c)} `],
  outside: [chars(max + 1, c)],
});

const routes: Route[] = [
  {
    name: 'POST /api/v1/assessments',
    method: 'post',
    path: () => '/api/v1/assessments',
    valid: () => ({ name: 'A', reportingYear: 2025 }),
    bounds: [
      { field: 'name', inside: [chars(200), '  x  '], outside: [chars(201), '', '   '] },
      {
        field: 'reportingYear',
        inside: [1990, 2100],
        outside: [1989, 2101, 2025.5, 1e308, '2025'],
      },
    ],
  },
  {
    name: 'PATCH /api/v1/assessments/:id',
    method: 'patch',
    path: () => `/api/v1/assessments/${draftId}`,
    valid: () => ({}),
    bounds: [
      { field: 'name', inside: [chars(200)], outside: [chars(201), ''] },
      {
        field: 'settings.thresholds.impact',
        inside: [5, 0.001, 3],
        outside: [5.000001, 0, -1, 1e308],
      },
      { field: 'settings.thresholds.financial', inside: [5, 1], outside: [5.5, 0] },
      { field: 'settings.borderlineBand', inside: [0, 2], outside: [-0.001, 2.001] },
      { field: 'settings.minGroupN', inside: [1, 1000], outside: [0, 1001, 1.5] },
      { field: 'settings.minReportN', inside: [1, 1000], outside: [0, 1001, 2.5] },
      {
        field: 'settings.weights.staff',
        inside: [0, 1000, 0.5],
        outside: [-0.001, 1000.001, 1e308],
      },
      localized('settings.intro.en', 5000),
      localized('settings.intro.zh-Hant', 5000, '水'),
      localized('settings.privacy.en', 10_000),
      localized('settings.privacy.zh-Hans', 10_000, '水'),
      localized('settings.axisLabels.impact.en', 100),
      localized('settings.axisLabels.financial.zh-Hant', 100, '水'),
    ],
  },
  {
    name: 'POST /api/v1/assessments/:id/topics',
    method: 'post',
    path: () => `/api/v1/assessments/${draftId}/topics`,
    valid: () => ({ code: fresh(), name: { en: 'T' }, category: 'E' }),
    bounds: [
      {
        field: 'code',
        inside: [chars(39, 'a') + '1'],
        outside: [chars(41, 'a'), 'a b', 'a.b', '$a'],
      },
      localized('name.en', 200),
      localized('name.zh-Hant', 200, '水'),
      localized('name.zh-Hans', 200, '水'),
      localized('description.en', 2000),
      localized('description.zh-Hant', 2000, '水'),
      localized('description.zh-Hans', 2000, '水'),
    ],
  },
  {
    name: 'POST /api/v1/assessments/:id/groups',
    method: 'post',
    path: () => `/api/v1/assessments/${draftId}/groups`,
    valid: () => ({ code: fresh(), name: { en: 'G' }, kind: 'external', instruments: ['impact'] }),
    bounds: [
      { field: 'code', inside: [chars(40, 'g')], outside: [chars(41, 'g')] },
      localized('name.en', 200),
      localized('name.zh-Hant', 200, '水'),
      { field: 'weight', inside: [0, 1000, 0.001], outside: [-0.001, 1000.001, -1e308, 1e308] },
      { field: 'targetResponses', inside: [0, 10_000_000], outside: [-1, 10_000_001, 1.5, 1e308] },
      {
        field: 'instruments',
        inside: [['financial'], ['impact', 'financial']],
        outside: [[], ['impact', 'financial', 'impact'], ['other']],
      },
    ],
  },
  {
    name: 'POST /api/v1/assessments/:id/invitations',
    method: 'post',
    path: () => `/api/v1/assessments/${openId}/invitations`,
    valid: () => ({ group: 'staff', kind: 'personal', count: 1 }),
    bounds: [
      // 10,000 links per request; the inside case stays small (10,000 inserts take the embedded database ~15 s).
      { field: 'count', inside: [1, 3], outside: [0, 10_001, 1.5, -1] },
      { field: 'label', inside: [chars(200)], outside: [chars(201)] },
      { field: 'emails.0.name', reported: 'emails.0', inside: [chars(200)], outside: [chars(201)] },
      {
        field: 'emails.0.email',
        reported: 'emails.0',
        inside: [`${chars(308)}@example.com`],
        outside: [`${chars(309)}@example.com`],
      },
    ],
  },
  {
    name: 'POST /api/v1/survey/:token',
    method: 'post',
    path: () => `/api/v1/survey/${openToken}`,
    valid: () => ({ answers }),
    at: (field) => (field.startsWith('impact:') ? 'answers.0.significance' : field),
    bounds: [
      {
        field: 'durationMs',
        inside: [0, 86_400_000, null],
        outside: [-1, 86_400_001, 1e308, '100'],
      },
      {
        field: 'impact:climate:significance',
        inside: [1, 5, null],
        outside: [0, 6, 2.5, '3', true, -0.5],
      },
    ],
  },
];

/** The cases of a route: [field, value, accepted?]. */
const casesOf = (r: Route) =>
  r.bounds.flatMap((b) => [
    ...b.inside.map((v) => [b, v, true] as const),
    ...b.outside.map((v) => [b, v, false] as const),
  ]);

/** Invitee bounds live in an object inside `emails`; every other path is set as it reads. */
function bodyFor(r: Route, field: string, value: unknown) {
  const valid = r.valid();
  if (field.startsWith('emails.0.'))
    return {
      ...valid,
      emails: [{ name: 'Ann', email: 'ann@example.com', [field.slice('emails.0.'.length)]: value }],
    };
  return withPath(valid, r.at ? r.at(field) : field, value);
}

describe.each(routes)('$name', (r) => {
  it.each(
    casesOf(r).map(([b, value, ok]) => ({
      field: b.field,
      reported: b.reported ?? b.field,
      value,
      ok,
      shown:
        typeof value === 'string' && value.length > 12
          ? `${value.length} × ${JSON.stringify(value[1])}`
          : JSON.stringify(value),
    })),
  )('$field = $shown: accepted $ok', async ({ field, reported, value, ok }) => {
    const send = () =>
      sendBody(
        request(app)[r.method](r.path()).set('Authorization', `Bearer ${api.token}`),
        jsonBody(bodyFor(r, field, value)),
      );
    if (ok) {
      expect((await judged.unjudged(send)).status).toBeLessThan(300);
      return;
    }
    const res = await judged(send, expectErrorShape);
    expect(res.status).toBe(422);
    const named = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(named.filter((p) => p === reported || p.startsWith(`${reported}.`))).not.toEqual([]);
  });
});

describe('bounds through the staff pages', () => {
  let s: Awaited<ReturnType<typeof staff>>;
  let admin: Awaited<ReturnType<typeof staff>>;
  let iroPath: string;
  beforeAll(async () => {
    s = await staff(app, 'analyst');
    admin = await staff(app, 'admin');
    iroPath = `/assessments/${draftId}/topics/climate/iros`;
  });
  const post = (
    who: () => Awaited<ReturnType<typeof staff>>,
    path: () => string,
    fields: FormFields,
  ) =>
    judged(
      () => sendBody(who().agent.post(path()), formBody({ ...fields, _csrf: who().csrf })),
      expectErrorPage,
    );

  const cases: [
    string,
    () => Awaited<ReturnType<typeof staff>>,
    () => string,
    (v: string) => FormFields,
    string,
    string,
  ][] = [
    [
      'IRO description 2000',
      () => s,
      () => iroPath,
      (v) => ({
        type: 'risk',
        actuality: 'actual',
        stage: 'upstream',
        horizon: 'short',
        description: v,
      }),
      chars(2000),
      chars(2001),
    ],
    [
      'group weight 1000',
      () => s,
      () => `/assessments/${draftId}/groups/staff`,
      (v) => ({ scope: 'weights', weight: v, targetResponses: '5' }),
      '1000',
      '1000.001',
    ],
    [
      'group target 10,000,000',
      () => s,
      () => `/assessments/${draftId}/groups/staff`,
      (v) => ({ scope: 'weights', weight: '1', targetResponses: v }),
      '10000000',
      '10000001',
    ],
    [
      'intro text 5000',
      () => s,
      () => `/assessments/${draftId}/settings`,
      (v) => ({ name: 'Bounds', 'settings.languages': 'en', 'settings.intro.en': v }),
      chars(5000),
      chars(5001),
    ],
    [
      'result threshold 5',
      () => s,
      () => `/assessments/${draftId}/settings/scoring`,
      (v) => ({
        'thresholds.impact': v,
        'thresholds.financial': '3',
        rule: 'either',
        rankingMethod: 'sum',
        borderlineBand: '0',
        minGroupN: '1',
        minReportN: '1',
        'weights.staff': '1',
      }),
      '5',
      '5.01',
    ],
    [
      'API token name 100',
      () => s,
      () => '/account/tokens',
      (v) => ({ name: v }),
      chars(100),
      chars(101),
    ],
    [
      'account e-mail 254',
      () => admin,
      () => '/admin/users',
      (v) => ({ email: v, password: 'a long enough password', role: 'viewer' }),
      `${chars(242)}@example.com`,
      `${chars(243)}@example.com`,
    ],
  ];

  it.each(cases)(
    '%s: just inside is accepted, just outside is a 422 page',
    async (_name, who, path, fields, inside, outside) => {
      expect((await post(who, path, fields(inside))).status).toBeLessThan(400);
      expect((await post(who, path, fields(outside))).status).toBe(422);
    },
  );
});
