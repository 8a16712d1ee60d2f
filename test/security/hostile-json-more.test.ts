import fc from 'fast-check';
import request from 'supertest';
import { jobsSettled } from '../../src/analytics/job';
import { useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { closedAssessment, REASON, SIGN } from '../review/review.helpers';
import {
  ANSWER_DEADLINE_MS,
  cursorOf,
  expectErrorShape,
  hostileJsonAt,
  judge,
  jsonBody,
  leafPathsDeep,
  nastyString,
  operatorObject,
  pct,
  sendBody,
  settled,
  WATCHED_MORE,
  type WireBody,
} from './hostile.helpers';

// Issue 17 §2, the JSON routes hostile-json.test.ts leaves out: the review writes (overrides,
// decisions, sign-off, reopen, copy, topic map: review.api.ts), the e-mail sends (mail.api.ts),
// the quality exclusions (analytics.api.ts), and hostile query strings on the reading routes
// messages, analytics, review, audit (and its CSV), the global audit and the appendix. Whatever
// arrives: never a 5xx, never a hang; a refusal has the api.md error shape and stores nothing (also
// no audit entry, snapshot, message, e-mail setting or exclusion); an acceptance stores no smuggled
// key. Fixed seeds: a failure prints its seed and path and replays the same way.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '100000' });

type Who = 'analyst' | 'approver' | 'admin';
const auth: Record<Who, Record<string, string>> = { analyst: {}, approver: {}, admin: {} };
/** Closed, with responses, topics t1..t3: overrides, decisions, exclusions and the copy source. */
let reviewId: string;
/** Closed, with responses: signed off and reopened, over and over. */
let signId: string;
/** A copy of reviewId (so it has a previous assessment): the target of the topic map. */
let copyId: string;
/** Open, group staff, three personal links with e-mail addresses. */
let mailId: string;
let linkIds: string[];

const v1 = (id: string, rest: string) => `/api/v1/assessments/${id}/${rest}`;

beforeAll(async () => {
  for (const who of ['analyst', 'approver', 'admin'] as const)
    auth[who] = { Authorization: `Bearer ${(await apiClient(app, who)).token}` };
  const api = await apiClient(app, 'analyst');
  reviewId = (await closedAssessment(app, { topics: ['t1', 't2', 't3'], name: 'Review' })).id;
  signId = (await closedAssessment(app, { name: 'Sign' })).id;
  const copy = await api.post(v1(reviewId, 'copy'), { name: 'Copy', reportingYear: 2026 });
  expect(copy.status).toBe(201);
  copyId = copy.body.id as string;

  mailId = (await api.post('/api/v1/assessments', { name: 'Mail', reportingYear: 2025 })).body
    .id as string;
  expect(
    (await api.post(v1(mailId, 'topics'), { code: 'climate', name: { en: 'C' }, category: 'E' }))
      .status,
  ).toBe(201);
  expect(
    (
      await api.post(v1(mailId, 'groups'), {
        code: 'staff',
        name: { en: 'Staff' },
        kind: 'internal',
        instruments: ['impact'],
      })
    ).status,
  ).toBe(201);
  expect((await api.post(v1(mailId, 'status'), { status: 'open' })).status).toBe(200);
  const links = await api.post(v1(mailId, 'invitations'), {
    group: 'staff',
    kind: 'personal',
    emails: ['ann@example.com', 'bo@example.com', 'cy@example.com'],
  });
  expect(links.status).toBe(201);
  linkIds = (links.body as { id: string }[]).map((l) => l.id);
  // One message first, so that the messages list has something to page through.
  const sent = await api.post(v1(mailId, 'invitations/send'), { linkIds: [linkIds[2]] });
  expect(sent.body).toEqual({ queued: 1 });
  await settled();
});

afterAll(async () => {
  // A read of the analytics may have started a job: let it finish before the database goes.
  await jobsSettled();
});

type Method = 'get' | 'post' | 'put' | 'delete';

const judged = judge(WATCHED_MORE);

/** Sends one request and checks what every answer must satisfy (see judge). */
function check(method: Method, path: string, body: WireBody | undefined, who: Who = 'analyst') {
  return judged(() => {
    const req = request(app)[method](path).set(auth[who]);
    return body
      ? sendBody(req, body)
      : req.timeout({ response: ANSWER_DEADLINE_MS, deadline: ANSWER_DEADLINE_MS });
  }, expectErrorShape);
}

/** A request that sets the stage for the next judged one; it must succeed. */
async function prepare(method: Method, path: string, body: object, who: Who, status: number) {
  const res = await judged.unjudged(() => request(app)[method](path).set(auth[who]).send(body));
  expect(res.status).toBe(status);
}

const statusOf = async (id: string) =>
  (await request(app).get(`/api/v1/assessments/${id}`).set(auth.analyst)).body.status as string;

/** signId closed (for a sign-off) or approved (for a reopening), whatever the previous run did. */
async function signIdIs(want: 'closed' | 'approved') {
  const now = await statusOf(signId);
  if (now === want) return;
  if (want === 'closed')
    await prepare('post', v1(signId, 'reopen'), { reason: REASON }, 'approver', 200);
  else await prepare('post', v1(signId, 'signoff'), SIGN, 'approver', 200);
}

// Per route: 10 routes, about 400 requests in all (with the preparing requests); with the other
// properties and the defect tests at the end this file runs near 45 s on the embedded database.
const RUNS = 30;

describe('JSON bodies on the review, e-mail and exclusion writes', () => {
  const routes: {
    name: string;
    method: Method;
    path: () => string;
    valid: () => unknown;
    who?: Who;
    before?: () => Promise<void>;
  }[] = [
    {
      name: 'PUT /api/v1/assessments/:id/overrides/:topic',
      method: 'put',
      path: () => v1(reviewId, 'overrides/t1'),
      valid: () => ({ material: true, rationale: REASON }),
    },
    {
      name: 'DELETE /api/v1/assessments/:id/overrides/:topic',
      method: 'delete',
      path: () => v1(reviewId, 'overrides/t2'),
      valid: () => ({ rationale: REASON }),
      // An override to delete, whatever the previous run did.
      before: () =>
        prepare(
          'put',
          v1(reviewId, 'overrides/t2'),
          { material: false, rationale: REASON },
          'analyst',
          200,
        ),
    },
    {
      name: 'PUT /api/v1/assessments/:id/decisions/:topic',
      method: 'put',
      path: () => v1(reviewId, 'decisions/t3'),
      valid: () => ({ rationale: REASON }),
    },
    {
      name: 'POST /api/v1/assessments/:id/signoff',
      method: 'post',
      path: () => v1(signId, 'signoff'),
      valid: () => SIGN,
      who: 'approver',
      before: () => signIdIs('closed'),
    },
    {
      name: 'POST /api/v1/assessments/:id/reopen',
      method: 'post',
      path: () => v1(signId, 'reopen'),
      valid: () => ({ reason: REASON }),
      who: 'approver',
      before: () => signIdIs('approved'),
    },
    {
      name: 'POST /api/v1/assessments/:id/copy',
      method: 'post',
      path: () => v1(reviewId, 'copy'),
      valid: () => ({
        name: 'Next year',
        reportingYear: 2026,
        topicMap: [{ code: 't1', previous: ['t1', 't2'] }],
      }),
    },
    {
      name: 'PUT /api/v1/assessments/:id/topic-map',
      method: 'put',
      path: () => v1(copyId, 'topic-map'),
      valid: () => [
        { code: 't1', previous: ['t1', 't2'] },
        { code: 't3', previous: ['t3'] },
      ],
    },
    {
      name: 'POST /api/v1/assessments/:id/invitations/send',
      method: 'post',
      path: () => v1(mailId, 'invitations/send'),
      valid: () => ({ group: 'staff', linkIds: linkIds.slice(0, 2) }),
    },
    {
      name: 'POST /api/v1/assessments/:id/reminders/send',
      method: 'post',
      path: () => v1(mailId, 'reminders/send'),
      valid: () => ({ group: 'staff', linkIds: linkIds.slice(0, 2), minHoursSinceLast: 0 }),
    },
    {
      name: 'PUT /api/v1/assessments/:id/exclusions',
      method: 'put',
      path: () => v1(reviewId, 'exclusions'),
      valid: () => ({ exclude: ['straightLining', 'speeder'] }),
    },
  ];

  it.each(routes.map((r, i) => ({ ...r, seed: 1901 + i })))(
    '$name: never a 5xx, the error shape, nothing stored when refused',
    async ({ method, path, valid, who, before, seed }) => {
      const body = valid();
      await fc.assert(
        fc.asyncProperty(hostileJsonAt(body, leafPathsDeep(body)), async (hostile) => {
          await before?.();
          await check(method, path(), hostile, who);
        }),
        { seed, numRuns: RUNS },
      );
    },
    60_000,
  );

  it('the valid bodies are accepted (the properties above reach the services)', async () => {
    await signIdIs('closed');
    const ok: [Method, string, unknown, Who, number][] = [
      ['put', v1(reviewId, 'overrides/t1'), { material: false, rationale: REASON }, 'analyst', 200],
      ['put', v1(reviewId, 'decisions/t3'), { rationale: REASON }, 'analyst', 204],
      ['delete', v1(reviewId, 'overrides/t1'), { rationale: REASON }, 'analyst', 204],
      ['post', v1(signId, 'signoff'), SIGN, 'approver', 200],
      ['post', v1(signId, 'reopen'), { reason: REASON }, 'approver', 200],
      ['post', v1(reviewId, 'copy'), { name: 'Again', reportingYear: 2027 }, 'analyst', 201],
      ['put', v1(copyId, 'topic-map'), [{ code: 't2', previous: ['t1'] }], 'analyst', 200],
      ['post', v1(mailId, 'invitations/send'), { group: 'staff' }, 'analyst', 202],
      ['post', v1(mailId, 'reminders/send'), { minHoursSinceLast: 0 }, 'analyst', 202],
      ['put', v1(reviewId, 'exclusions'), { exclude: ['speeder'] }, 'analyst', 200],
    ];
    for (const [method, path, body, who, status] of ok) {
      const res = await check(method, path, jsonBody(body), who);
      expect({ path, status: res.status }).toEqual({ path, status });
    }
  });
});

/** Path segments that are not ids or topic codes: operators, prototype names, the wrong length, broken encodings. */
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
      'hasOwnProperty',
      'null',
      'undefined',
      '1e308',
      'NaN',
      '000000000000000000000000',
      'ffffffffffffffffffffffff',
      'a'.repeat(5000),
      '%00',
      '%E0%A4%A',
      '%FF',
      '%C0%AF',
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e',
      '%20',
      't1%00',
      'T1',
      '%20t1',
    ),
    // Kept under Node's 16 kB header limit, which answers 431 before the app sees the request.
    nastyString.map((s) => pct(s.slice(0, 1000)).slice(0, 4000)),
  )
  .filter((s) => s !== '');

describe('hostile ids and topic codes in paths', () => {
  const targets: { method: Method; path: (x: string) => string; body?: unknown; who?: Who }[] = [
    {
      method: 'put',
      path: (x) => v1(x, 'overrides/t1'),
      body: { material: true, rationale: REASON },
    },
    {
      method: 'put',
      path: (x) => v1(reviewId, `overrides/${x}`),
      body: { material: true, rationale: REASON },
    },
    { method: 'delete', path: (x) => v1(x, 'overrides/t1'), body: { rationale: REASON } },
    { method: 'delete', path: (x) => v1(reviewId, `overrides/${x}`), body: { rationale: REASON } },
    { method: 'put', path: (x) => v1(x, 'decisions/t3'), body: { rationale: REASON } },
    { method: 'put', path: (x) => v1(reviewId, `decisions/${x}`), body: { rationale: REASON } },
    { method: 'post', path: (x) => v1(x, 'signoff'), body: SIGN, who: 'approver' },
    { method: 'post', path: (x) => v1(x, 'reopen'), body: { reason: REASON }, who: 'approver' },
    { method: 'post', path: (x) => v1(x, 'copy'), body: { name: 'x', reportingYear: 2026 } },
    {
      method: 'put',
      path: (x) => v1(x, 'topic-map'),
      body: [{ code: 't1', previous: ['t1'] }],
    },
    { method: 'post', path: (x) => v1(x, 'invitations/send'), body: {} },
    { method: 'post', path: (x) => v1(x, 'reminders/send'), body: { minHoursSinceLast: 0 } },
    { method: 'put', path: (x) => v1(x, 'exclusions'), body: { exclude: [] } },
    { method: 'get', path: (x) => v1(x, 'messages') },
    { method: 'get', path: (x) => v1(x, 'analytics') },
    { method: 'get', path: (x) => v1(x, 'review') },
    { method: 'get', path: (x) => v1(x, 'audit') },
    { method: 'get', path: (x) => v1(x, 'audit.csv') },
    { method: 'get', path: (x) => v1(x, 'appendix') },
  ];

  it('answers 4xx with the error shape and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), hostileSegment, async (t, segment) => {
        const res = await check(
          t.method,
          t.path(segment),
          t.body === undefined ? undefined : jsonBody(t.body),
          t.who,
        );
        expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      { seed: 1921, numRuns: 50 },
    );
  }, 60_000);
});

/** Query values: repeated, bracketed, operator-like, huge or non-finite. */
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
    '0',
    '1',
    '2',
    '1.5',
    '1000',
    '201',
    '501',
    'x'.repeat(10_000),
    '%FF',
    '%00',
    'en',
    'zh-Hant',
    'fr',
    'queued',
    'sent',
    'failed',
    'topic',
    'override.set',
    'cli',
    'ann@example.com',
  ),
  nastyString.map((s) => s.slice(0, 2000)),
);

/**
 * Cursors as the lists hand them out (base64url JSON), forged: dates beyond range, wrong types,
 * prototype and operator keys, a long array. (Safe-integer positions far above the newest entry
 * are tried at the end of this file.)
 */
const forgedCursor = fc.oneof(
  fc
    .constantFrom(
      '[1e400,"x"]',
      '[-1e400,"x"]',
      '[8640000000000001,"x"]',
      '[-8640000000000001,"x"]',
      '[0,{"$gt":""}]',
      '[{"$gt":""},"x"]',
      '[0,"x",3]',
      '[0,""]',
      '[]',
      '{}',
      'null',
      '"x"',
      '{"system":5}',
      '{"system":1e400}',
      '{"system":-5}',
      '{"system":0}',
      '{"system":0.5}',
      '{"system":"5"}',
      '{"__proto__":{"polluted":"yes"}}',
      '{"__proto__":5}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"$where":"sleep(5000)"}',
      '{"system":{"$gt":0}}',
      '[' + '1,'.repeat(3000) + '1]',
      '{' + '"a":'.repeat(2000) + '1' + '}'.repeat(2000),
    )
    .map(cursorOf),
  fc.constantFrom('Wzg', '!!!', '====', 'eyJ', '%FF', '%00', '-1', '0', '1.5', '1e308', '500'),
);
const queryParam = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.constantFrom(
        'status',
        'limit',
        'before',
        'action',
        'person',
        'lang',
        'status[$ne]',
        'limit[]',
        'before[$gt]',
        'lang[]',
        '__proto__',
        'constructor[prototype][polluted]',
        'group',
      ),
      hostileQueryValue,
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constant('before'), forgedCursor) },
);

describe('hostile query strings on the reading routes', () => {
  const reads: { path: () => string; who?: Who }[] = [
    { path: () => v1(mailId, 'messages') },
    { path: () => v1(reviewId, 'analytics') },
    { path: () => v1(reviewId, 'review') },
    { path: () => v1(reviewId, 'audit') },
    { path: () => v1(reviewId, 'audit.csv') },
    { path: () => '/api/v1/audit', who: 'admin' },
    { path: () => '/api/v1/audit.csv', who: 'admin' },
    { path: () => v1(reviewId, 'appendix') },
  ];
  it('never answers 5xx, and refuses with the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.array(queryParam, { minLength: 1, maxLength: 4 }),
        async (read, params) => {
          // Each value kept under Node's 16 kB header limit (beyond it Node answers 431 before the app sees the request).
          const query = params
            .map(
              ([k, v]) =>
                `${encodeURIComponent(k)}=${v.startsWith('%') ? v : pct(v).slice(0, 3000)}`,
            )
            .join('&');
          await check('get', `${read.path()}?${query}`, undefined, read.who);
        },
      ),
      { seed: 1922, numRuns: 60 },
    );
  }, 60_000);

  it('the documented queries are answered 200', async () => {
    const page = await check('get', `${v1(mailId, 'messages')}?status=queued&limit=1`, undefined);
    expect(page.status).toBe(200);
    const next = (page.body as { next: string | null }).next;
    if (next)
      expect(
        (await check('get', `${v1(mailId, 'messages')}?limit=1&before=${next}`, undefined)).status,
      ).toBe(200);
    for (const [path, who] of [
      [`${v1(reviewId, 'audit')}?limit=2&action=override`, 'analyst'],
      [`/api/v1/audit?limit=2&person=cli`, 'admin'],
      [`${v1(reviewId, 'appendix')}?lang=zh-Hans`, 'analyst'],
      [v1(reviewId, 'review'), 'analyst'],
    ] as const)
      expect({ path, status: (await check('get', path, undefined, who)).status }).toEqual({
        path,
        status: 200,
      });
  });
});

describe('operator objects where ids, codes, dates and values belong', () => {
  it('refuses them in every such field with a 422 that names the field', async () => {
    await signIdIs('approved'); // a reopening's body is checked before its status
    await fc.assert(
      fc.asyncProperty(operatorObject, async (op) => {
        // [method, path, body, who, the field the refusal names (or a field inside it)]
        const cases: [Method, string, unknown, Who, string][] = [
          [
            'put',
            v1(reviewId, 'overrides/t1'),
            { material: op, rationale: REASON },
            'analyst',
            'material',
          ],
          [
            'put',
            v1(reviewId, 'overrides/t1'),
            { material: true, rationale: op },
            'analyst',
            'rationale',
          ],
          ['delete', v1(reviewId, 'overrides/t1'), { rationale: op }, 'analyst', 'rationale'],
          ['put', v1(reviewId, 'decisions/t1'), { rationale: op }, 'analyst', 'rationale'],
          ['post', v1(signId, 'signoff'), { ...SIGN, meetingDate: op }, 'approver', 'meetingDate'],
          ['post', v1(signId, 'signoff'), { ...SIGN, minutesRef: op }, 'approver', 'minutesRef'],
          ['post', v1(signId, 'reopen'), { reason: op }, 'approver', 'reason'],
          ['post', v1(reviewId, 'copy'), { name: op, reportingYear: 2026 }, 'analyst', 'name'],
          [
            'post',
            v1(reviewId, 'copy'),
            { name: 'x', reportingYear: op },
            'analyst',
            'reportingYear',
          ],
          [
            'post',
            v1(reviewId, 'copy'),
            { name: 'x', reportingYear: 2026, topicMap: [{ code: op, previous: ['t1'] }] },
            'analyst',
            'topicMap.0.code',
          ],
          ['put', v1(copyId, 'topic-map'), [{ code: op, previous: ['t1'] }], 'analyst', '0.code'],
          [
            'put',
            v1(copyId, 'topic-map'),
            [{ code: 't1', previous: [op] }],
            'analyst',
            '0.previous.0',
          ],
          ['post', v1(mailId, 'invitations/send'), { group: op }, 'analyst', 'group'],
          ['post', v1(mailId, 'invitations/send'), { linkIds: [op] }, 'analyst', 'linkIds.0'],
          ['post', v1(mailId, 'reminders/send'), { linkIds: op }, 'analyst', 'linkIds'],
          [
            'post',
            v1(mailId, 'reminders/send'),
            { minHoursSinceLast: op },
            'analyst',
            'minHoursSinceLast',
          ],
          ['put', v1(reviewId, 'exclusions'), { exclude: [op] }, 'analyst', 'exclude.0'],
          ['put', v1(reviewId, 'exclusions'), { exclude: op }, 'analyst', 'exclude'],
        ];
        for (const [method, path, body, who, field] of cases) {
          const res = await check(method, path, jsonBody(body), who);
          const fields = (
            (res.body as { error?: { details?: { path: string }[] } }).error?.details ?? []
          ).map((d) => d.path);
          expect({
            path,
            body,
            status: res.status,
            named: fields.some((f) => f === field || f.startsWith(`${field}.`)),
          }).toEqual({ path, body, status: 422, named: true });
        }
      }),
      { seed: 1923, numRuns: 4 },
    );
  }, 60_000);
});

// A forged audit cursor far above the newest entry: the walk below it read every sequence number
// by primary key (found or not), so `?before=9007199254740991` never answered and kept the
// database busy; any viewer could send it. Walks now start at the scope's newest entry
// (walkDown in src/audit/audit.reader.ts), so such a cursor gives the first page. A hang fails
// the test by its timeout.
describe('a forged audit cursor far above the newest entry', () => {
  const FAR = Number.MAX_SAFE_INTEGER;
  const entriesOf = (res: { body: { entries?: unknown[] } }) => res.body.entries;

  it('GET /api/v1/assessments/:id/audit?before=<far> answers the first page', async () => {
    const first = await check('get', v1(reviewId, 'audit'), undefined, 'analyst');
    const forged = await check(
      'get',
      `${v1(reviewId, 'audit')}?before=${FAR}`,
      undefined,
      'analyst',
    );
    expect(first.status).toBe(200);
    expect(forged.status).toBe(200);
    expect(entriesOf(first)?.length).toBeGreaterThan(0);
    expect(entriesOf(forged)).toEqual(entriesOf(first));
  }, 20_000);

  it('GET /api/v1/audit?before=<cursor {assessment: far}> answers the first page', async () => {
    const first = await check('get', '/api/v1/audit', undefined, 'admin');
    const cursor = cursorOf(JSON.stringify({ [reviewId]: FAR }));
    const forged = await check('get', `/api/v1/audit?before=${cursor}`, undefined, 'admin');
    expect(first.status).toBe(200);
    expect(forged.status).toBe(200);
    expect(entriesOf(forged)).toEqual(entriesOf(first));
  }, 20_000);
});
