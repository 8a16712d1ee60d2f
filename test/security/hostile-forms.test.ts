import ExcelJS from 'exceljs';
import fc from 'fast-check';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { csrfFrom, makeApp, PASSWORD } from '../helpers/app';
import { apiClient, fullAnswers } from '../helpers/api';
import { staff } from '../assessments/pages.helpers';
import { fieldsOf } from '../surveys/survey-pages.helpers';
import mongoose from 'mongoose';
import {
  expectErrorPage,
  expectErrorShape,
  formBody,
  hostileForm,
  hostileJson,
  invalidUtf8,
  judge,
  multipart,
  nastyString,
  pct,
  sendBody,
  settled,
  WireBody,
  type FormFields,
} from './hostile.helpers';

// Issue 17 §2: hostile input on every form route: the staff pages' POST routes (assessments,
// settings, status, topics, IRO register, topic import, groups, invitations, invitee upload,
// result settings, account, administration, login, set-up, logout) and the respondent pages under
// /s/:token (start, page, autosave, submit). Each is posted by a browser that holds a valid CSRF
// token, so the hostile part reaches the route, not only the CSRF check. Whatever is posted: never a
// 5xx, never a hang; a refusal is a page (or, for autosave, the JSON error shape) and stores nothing.

useTestDb();
const app = makeApp({
  SUBMIT_MAX_PER_MINUTE: '100000',
  LOGIN_MAX_PER_IP: '100000',
  LOGIN_MAX_PER_ACCOUNT: '100000',
});

type Staff = Awaited<ReturnType<typeof staff>>;
type Agent = Staff['agent'];
let analyst: Staff;
let admin: Staff;
/** A draft with topics climate and water (climate has one IRO) and groups staff and board. */
let draftId: string;
let iroId: string;
/** An open assessment and its links. */
let openId: string;
let openToken: string;
let personalToken: string;
let victimUserId: string;
let tokenId: string;
interface Respondent {
  agent: Agent;
  csrf: string;
  token: string;
}
/** Respondent browsers, with the CSRF token of the intro page each was shown. */
let respondents: Record<'open' | 'personal', Respondent>;
let pageFields: string[];
let xlsxFile: Buffer;

beforeAll(async () => {
  const api = await apiClient(app, 'analyst');
  const make = async (name: string) => {
    const id = (await api.post('/api/v1/assessments', { name, reportingYear: 2025 })).body
      .id as string;
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

  analyst = await staff(app, 'analyst');
  admin = await staff(app, 'admin');
  victimUserId = (await apiClient(app, 'viewer')).user.id;
  const iro = await analyst.form(`/assessments/${draftId}/topics/climate/iros`, {
    type: 'risk',
    actuality: 'potential',
    stage: 'upstream',
    horizon: 'long',
    description: 'Floods',
  });
  expect(iro.status).toBe(303);
  const topicPage = await analyst.agent.get(`/assessments/${draftId}/topics/climate`);
  iroId = /\/iros\/([a-f0-9]+)\/remove/.exec(topicPage.text)?.[1] ?? '';
  expect(iroId).not.toBe('');
  const created = await analyst.form('/account/tokens', { name: 'kept' });
  expect(created.status).toBe(201);
  tokenId = /\/account\/tokens\/([^/"]+)\/revoke/.exec(created.text)?.[1] ?? '';
  expect(tokenId).not.toBe('');

  const respondent = async (token: string): Promise<Respondent> => {
    const agent = request.agent(app);
    const intro = await agent.get(`/s/${token}`).set('Accept-Language', 'en');
    expect(intro.status).toBe(200);
    return { agent, csrf: csrfFrom(intro.text), token };
  };
  respondents = { open: await respondent(openToken), personal: await respondent(personalToken) };
  const page = await respondents.open.agent.get(`/s/${openToken}?page=1`);
  pageFields = fieldsOf(page.text);
  expect(pageFields.length).toBeGreaterThan(0);
  // One response first: a refused submission would lock an unlocked assessment (the known defect
  // pinned in hostile-json.test.ts), which the properties below would report whatever they sent.
  const answers = fullAnswers((await request(app).get(`/api/v1/survey/${openToken}`)).body);
  expect((await request(app).post(`/api/v1/survey/${openToken}`).send({ answers })).status).toBe(
    201,
  );

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('topics');
  ws.addRow(['code', 'name_en', '__proto__', 'constructor', 'category']);
  ws.addRow(['{"$gt":""}', '=HYPERLINK("http://x")', 'polluted', 'x', 'E']);
  ws.addRow(['__proto__', 'x'.repeat(300), '', '', 'Q']);
  xlsxFile = Buffer.from(await wb.xlsx.writeBuffer());
  await settled();
});

const judged = judge();

/** Posts one body as `agent` and checks what every answer must satisfy (see judge): a refusal is a page, or the JSON error shape. */
function check(
  agent: Agent,
  path: string,
  body: WireBody,
  { json = false, headers = {} }: { json?: boolean; headers?: Record<string, string> } = {},
) {
  return judged(
    () =>
      sendBody(
        agent.post(path).set(json ? { Accept: 'application/json', ...headers } : headers),
        body,
      ),
    json ? expectErrorShape : expectErrorPage,
  );
}

const lang = (l: string) => ({ 'name.en': `${l} en`, 'name.zh-Hant': '', 'name.zh-Hans': '' });
const topicFields: FormFields = {
  code: 'new-topic',
  ...lang('Topic'),
  'description.en': 'Definition',
  'description.zh-Hant': '',
  'description.zh-Hans': '',
  category: 'S',
  'impactProfile.nature': 'negative',
  'impactProfile.occurrence': 'actual',
  'impactProfile.humanRights': 'yes',
};
const groupFields: FormFields = {
  code: 'new-group',
  ...lang('Group'),
  kind: 'external',
  instruments: ['impact', 'financial'],
  weight: '2',
  targetResponses: '40',
};
const settingsFields: FormFields = {
  name: 'Renamed',
  'settings.languages': ['en', 'zh-Hant'],
  'settings.intro.en': 'Welcome',
  'settings.intro.zh-Hant': '',
  'settings.intro.zh-Hans': '',
  'settings.privacy.en': 'Privacy',
  'settings.privacy.zh-Hant': '',
  'settings.privacy.zh-Hans': '',
  'settings.axisLabels.impact.en': 'Impact',
  'settings.axisLabels.impact.zh-Hant': '',
  'settings.axisLabels.impact.zh-Hans': '',
  'settings.axisLabels.financial.en': 'Financial',
  'settings.axisLabels.financial.zh-Hant': '',
  'settings.axisLabels.financial.zh-Hans': '',
};
const resultSettingsFields: FormFields = {
  'thresholds.impact': '3',
  'thresholds.financial': '3,5',
  rule: 'either',
  rankingMethod: 'exceedance',
  borderlineBand: '0.2',
  minGroupN: '1',
  minReportN: '5',
  'weights.staff': '1',
  'weights.board': '2',
};

// Per route; each family (staff forms, uploads, respondent pages) gets 40–180 runs in all, which
// keeps this file near 30 s on the embedded database.
const RUNS = 12;

describe('staff forms, posted with a valid CSRF token', () => {
  const routes: {
    name: string;
    who: () => Staff;
    path: () => string;
    valid: FormFields;
    runs?: number;
  }[] = [
    {
      name: 'POST /assessments',
      who: () => analyst,
      path: () => '/assessments',
      valid: { name: 'Hostile', reportingYear: '2025', template: 'blank' },
    },
    {
      name: 'POST /assessments/:id/settings',
      who: () => analyst,
      path: () => `/assessments/${draftId}/settings`,
      valid: settingsFields,
    },
    {
      name: 'POST /assessments/:id/status',
      who: () => analyst,
      path: () => `/assessments/${draftId}/status`,
      valid: { status: 'closed' },
      runs: 8,
    },
    {
      name: 'POST /assessments/:id/topics',
      who: () => analyst,
      path: () => `/assessments/${draftId}/topics`,
      valid: topicFields,
    },
    {
      name: 'POST /assessments/:id/topics/:code',
      who: () => analyst,
      path: () => `/assessments/${draftId}/topics/water`,
      valid: { ...topicFields, code: 'ignored' },
    },
    {
      name: 'POST /assessments/:id/topics/:code/move',
      who: () => analyst,
      path: () => `/assessments/${draftId}/topics/water/move`,
      valid: { direction: 'up' },
      runs: 6,
    },
    {
      name: 'POST /assessments/:id/topics/:code/iros',
      who: () => analyst,
      path: () => `/assessments/${draftId}/topics/water/iros`,
      valid: {
        type: 'opportunity',
        actuality: 'actual',
        stage: 'downstream',
        horizon: 'medium',
        description: 'Reuse',
      },
    },
    {
      name: 'POST /assessments/:id/groups',
      who: () => analyst,
      path: () => `/assessments/${draftId}/groups`,
      valid: groupFields,
    },
    {
      name: 'POST /assessments/:id/groups/:code',
      who: () => analyst,
      path: () => `/assessments/${draftId}/groups/board`,
      valid: { ...groupFields, scope: 'all' },
    },
    {
      name: 'POST /assessments/:id/invitations',
      who: () => analyst,
      path: () => `/assessments/${openId}/invitations`,
      valid: { kind: 'personal', group: 'staff', count: '2', label: '' },
    },
    {
      name: 'POST /assessments/:id/settings/scoring',
      who: () => analyst,
      path: () => `/assessments/${openId}/settings/scoring`,
      valid: resultSettingsFields,
    },
    {
      name: 'POST /account/tokens',
      who: () => analyst,
      path: () => '/account/tokens',
      valid: { name: 'ci' },
      runs: 8,
    },
    {
      name: 'POST /account/password',
      who: () => analyst,
      path: () => '/account/password',
      valid: {
        current: 'wrong password!!',
        password: 'a new long password',
        confirm: 'a new long password',
      },
      runs: 6,
    },
    {
      name: 'POST /admin/users',
      who: () => admin,
      path: () => '/admin/users',
      valid: { email: 'new.user@example.com', password: 'a long enough password', role: 'viewer' },
      runs: 8,
    },
    {
      name: 'POST /admin/users/:id',
      who: () => admin,
      path: () => `/admin/users/${victimUserId}`,
      valid: { role: 'viewer', disabled: 'false' },
      runs: 8,
    },
  ];

  it.each(routes.map((r, i) => ({ ...r, seed: 1801 + i })))(
    '$name: never a 5xx, a page, nothing stored when refused',
    async ({ who, path, valid, runs, seed }) => {
      const s = who();
      await fc.assert(
        fc.asyncProperty(hostileForm(valid, s.csrf), async (body) => {
          await check(s.agent, path(), body);
        }),
        { seed, numRuns: runs ?? RUNS },
      );
    },
  );
});

/** Path segments where ids, codes and link tokens belong. */
const hostileSegment = fc
  .oneof(
    fc.constantFrom(
      '%7B%22%24gt%22%3A%22%22%7D',
      '%5B%24ne%5D',
      '__proto__',
      'constructor',
      'toString',
      'null',
      '1e308',
      '000000000000000000000000',
      'a'.repeat(3000),
      '%00',
      '%FF',
      '%E0%A4%A',
      '..%2F..',
      '%20',
    ),
    nastyString.map((s) => pct(s.slice(0, 500)).slice(0, 3000)),
  )
  .filter((s) => s !== '');

describe('hostile ids, codes and tokens in form paths', () => {
  const targets: { who: () => Staff; path: (x: string) => string; valid: FormFields }[] = [
    { who: () => analyst, path: (x) => `/assessments/${x}/settings`, valid: settingsFields },
    { who: () => analyst, path: (x) => `/assessments/${x}/status`, valid: { status: 'open' } },
    { who: () => analyst, path: (x) => `/assessments/${x}/topics`, valid: topicFields },
    { who: () => analyst, path: (x) => `/assessments/${draftId}/topics/${x}`, valid: topicFields },
    {
      who: () => analyst,
      path: (x) => `/assessments/${draftId}/topics/${x}/move`,
      valid: { direction: 'down' },
    },
    { who: () => analyst, path: (x) => `/assessments/${draftId}/topics/${x}/remove`, valid: {} },
    {
      who: () => analyst,
      path: (x) => `/assessments/${draftId}/topics/climate/iros/${x}/remove`,
      valid: {},
    },
    { who: () => analyst, path: (x) => `/assessments/${draftId}/groups/${x}`, valid: groupFields },
    { who: () => analyst, path: (x) => `/assessments/${draftId}/groups/${x}/remove`, valid: {} },
    {
      who: () => analyst,
      path: (x) => `/assessments/${x}/invitations`,
      valid: { kind: 'open', group: 'staff' },
    },
    {
      who: () => analyst,
      path: (x) => `/assessments/${openId}/invitations/${x}/revoke`,
      valid: { group: 'staff' },
    },
    {
      who: () => analyst,
      path: (x) => `/assessments/${x}/settings/scoring`,
      valid: resultSettingsFields,
    },
    { who: () => analyst, path: (x) => `/account/tokens/${x}/revoke`, valid: {} },
    { who: () => admin, path: (x) => `/admin/users/${x}`, valid: { role: 'admin' } },
  ];

  it('answers a 4xx page and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), hostileSegment, async (t, segment) => {
        const s = t.who();
        const res = await check(s.agent, t.path(segment), formBody({ ...t.valid, _csrf: s.csrf }));
        expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      { seed: 1831, numRuns: 30 },
    );
  });

  it('leaves the real topics, groups, IRO and API token in place (the remove routes were given other ids)', async () => {
    const doc = (await mongoose.connection
      .collection('assessments')
      .findOne({ _id: draftId as never })) as unknown as {
      topics: { code: string }[];
      groups: { code: string }[];
      iros: { id: string }[];
    };
    expect(doc.topics.map((t) => t.code)).toEqual(expect.arrayContaining(['climate', 'water']));
    expect(doc.groups.map((g) => g.code)).toEqual(expect.arrayContaining(['staff', 'board']));
    expect(doc.iros.map((i) => i.id)).toContain(iroId);
    const token = await mongoose.connection
      .collection('apitokens')
      .findOne({ _id: tokenId as never });
    expect(token?.revokedAt ?? null).toBeNull();
  });
});

// ---- uploads (multipart: the CSRF token travels in the URL) ----

const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
const hostileCell = fc.oneof(
  nastyString.map((s) => s.slice(0, 5000)),
  fc.constantFrom(
    '{"$gt":""}',
    '=cmd|" /C calc"!A0',
    '@SUM(1)',
    '__proto__',
    'constructor',
    'E',
    'yes',
    '是',
    '',
  ),
);

/** Files a user could upload: hostile CSV, bytes that are not UTF-8, broken zips and workbooks, random bytes. */
const hostileFile = (header: string[]) =>
  fc.oneof(
    fc
      .array(fc.array(hostileCell, { minLength: 1, maxLength: header.length + 2 }), {
        minLength: 1,
        maxLength: 5,
      })
      .map((rows) => Buffer.from([csvLine(header), ...rows.map(csvLine)].join('\r\n'))),
    fc
      .tuple(invalidUtf8, fc.constantFrom('', '\ufeff'))
      .map(([bytes, bom]) =>
        Buffer.concat([
          Buffer.from(`${bom}${csvLine(header)}\r\n"ok`),
          bytes,
          Buffer.from('",x\r\n'),
        ]),
      ),
    fc.constantFrom(
      Buffer.from(`${csvLine(header)}\r\n"unterminated,x\r\n`),
      Buffer.from(`${header.join(',')}\r\n${'a,b\r\n'.repeat(10_001)}`),
      Buffer.from('\ufeff\u0000\u0000', 'utf16le'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]),
      Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0xff)]),
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(0),
    ),
    fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => Buffer.from(b)),
    fc.integer({ min: 20, max: 2000 }).map((cut) => xlsxFile.subarray(0, cut)),
    fc.constant(null).map(() => xlsxFile),
  );

/** Multipart bodies: the file alone or with a hostile field, two files, no file, too many parts, broken framing. */
const hostileUpload = (header: string[], fields: Record<string, string>) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          hostileFile(header),
          fc.constantFrom(
            'topics.csv',
            'topics.xlsx',
            '../../etc/passwd',
            '__proto__',
            'x"; name="other',
            '水.csv',
          ),
        )
        .map(([content, filename]) =>
          multipart([
            ...Object.entries(fields).map(([name, v]) => ({ name, content: Buffer.from(v) })),
            { name: 'file', filename, type: 'text/csv', content },
          ]),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          hostileFile(header),
          fc.constantFrom('group', '__proto__', 'constructor', 'file', '_csrf', 'x[$gt]'),
          hostileCell,
        )
        .map(([content, name, value]) =>
          multipart([
            { name, content: Buffer.from(value) },
            ...Object.entries(fields).map(([n, v]) => ({ name: n, content: Buffer.from(v) })),
            { name: 'file', filename: 'a.csv', content },
          ]),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        multipart([
          { name: 'file', filename: 'a.csv', content: Buffer.from('code,name_en\r\na,b') },
          { name: 'file', filename: 'b.csv', content: Buffer.from('code,name_en\r\nc,d') },
        ]),
        multipart([
          { name: 'other', filename: 'a.csv', content: Buffer.from('code,name_en\r\na,b') },
        ]),
        multipart(Object.entries(fields).map(([name, v]) => ({ name, content: Buffer.from(v) }))),
        multipart(
          Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, content: Buffer.from('x') })),
        ),
        multipart([
          { name: 'group', content: Buffer.from('x'.repeat(20_000)) },
          { name: 'file', filename: 'a.csv', content: Buffer.from('code,name_en\r\na,b') },
        ]),
        multipart(
          [{ name: 'file', filename: 'a.csv', content: Buffer.from('code,name_en\r\na,b') }],
          { end: false },
        ),
        new WireBody(
          'multipart/form-data',
          Buffer.from('--x\r\n\r\n'),
          'multipart without a boundary',
        ),
        new WireBody(
          'multipart/form-data; boundary=zz',
          Buffer.from('garbage without any boundary'),
          'multipart without parts',
        ),
      ),
    },
  );

describe('uploads', () => {
  const uploads: {
    name: string;
    path: () => string;
    header: string[];
    fields: Record<string, string>;
    seed: number;
  }[] = [
    {
      name: 'POST /assessments/:id/topic-import',
      path: () => `/assessments/${draftId}/topic-import`,
      header: ['code', 'name_en', 'description_en', 'category', 'human_rights'],
      fields: {},
      seed: 1841,
    },
    {
      name: 'POST /assessments/:id/invitations/upload',
      path: () => `/assessments/${openId}/invitations/upload`,
      header: ['name', 'email'],
      fields: { group: 'staff' },
      seed: 1842,
    },
  ];
  it.each(uploads)(
    '$name: never a 5xx, a page, nothing stored when refused',
    async ({ path, header, fields, seed }) => {
      await fc.assert(
        fc.asyncProperty(hostileUpload(header, fields), async (body) => {
          // The token as a header: the hostile body itself may be unreadable.
          await check(analyst.agent, path(), body, { headers: { 'X-CSRF-Token': analyst.csrf } });
        }),
        { seed, numRuns: 20 },
      );
    },
  );

  it('multipart posted to a route that takes no upload is refused without a hang', async () => {
    const body = multipart([
      { name: 'name', content: Buffer.from('x') },
      { name: 'file', filename: 'a.csv', content: Buffer.alloc(500_000, 0x61) },
    ]);
    const res = await check(analyst.agent, '/assessments', body, {
      headers: { 'X-CSRF-Token': analyst.csrf },
    });
    expect(res.status).toBe(422);
  });
});

// ---- before login ----

describe('login, set-up and logout', () => {
  it('POST /login: hostile credentials never give a 5xx or a session', async () => {
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    await fc.assert(
      fc.asyncProperty(
        hostileForm(
          { email: 'nobody@example.com', password: PASSWORD, next: '/assessments' },
          csrf,
        ),
        async (body) => {
          const res = await check(agent, '/login', body);
          expect(res.status).not.toBe(303);
        },
      ),
      { seed: 1851, numRuns: 8 },
    );
  });

  it('POST /setup: refused once users exist, whatever is posted', async () => {
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    await fc.assert(
      fc.asyncProperty(
        hostileForm(
          {
            email: 'first@example.com',
            password: 'a long enough password',
            confirm: 'a long enough password',
          },
          csrf,
        ),
        async (body) => {
          const res = await check(agent, '/setup', body);
          expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { seed: 1852, numRuns: 6 },
    );
  });

  it('POST /logout: a hostile body still just logs out', async () => {
    const s = await staff(app, 'viewer');
    const raw = `_csrf=${encodeURIComponent(s.csrf)}&__proto__=x&constructor%5Bprototype%5D%5Bpolluted%5D=1&next=%2F%2Fevil.example`;
    const res = await check(
      s.agent,
      '/logout',
      new WireBody('application/x-www-form-urlencoded', Buffer.from(raw), 'logout'),
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?loggedOut=1');
  });
});

// ---- the questionnaire pages ----

describe('respondent pages /s/:token, with the CSRF token of the page', () => {
  const page = () => ({
    page: '1',
    nav: 'next',
    ...Object.fromEntries(pageFields.map((k) => [k, '3'])),
  });
  const routes: {
    name: string;
    kind: 'open' | 'personal';
    path: (t: string) => string;
    valid: () => FormFields;
  }[] = [
    {
      name: 'POST /s/:token/start',
      kind: 'open',
      path: (t) => `/s/${t}/start`,
      valid: () => ({ lang: 'en' }),
    },
    { name: 'POST /s/:token (open link)', kind: 'open', path: (t) => `/s/${t}`, valid: page },
    {
      name: 'POST /s/:token (personal link)',
      kind: 'personal',
      path: (t) => `/s/${t}`,
      valid: () => ({ ...page(), nav: 'back', switchLang: 'zh-Hant' }),
    },
    {
      name: 'POST /s/:token/submit',
      kind: 'personal',
      path: (t) => `/s/${t}/submit`,
      valid: () => ({ lang: 'en' }),
    },
  ];

  it.each(routes.map((r, i) => ({ ...r, seed: 1861 + i })))(
    '$name: never a 5xx, a page, nothing stored when refused',
    async ({ kind, path, valid, seed }) => {
      const r = respondents[kind];
      await fc.assert(
        fc.asyncProperty(hostileForm(valid(), r.csrf), async (body) => {
          await check(r.agent, path(r.token), body);
        }),
        { seed, numRuns: RUNS },
      );
    },
  );

  it('POST /s/:token/autosave (JSON): never a 5xx, the error shape, nothing stored when refused', async () => {
    const r = respondents.open;
    const valid = {
      values: Object.fromEntries(pageFields.map((k, i) => [k, i % 2 ? 'dk' : '2'])),
      lang: 'en',
    };
    await fc.assert(
      fc.asyncProperty(hostileJson(valid), async (body) => {
        await check(r.agent, `/s/${r.token}/autosave`, body, {
          json: true,
          headers: { 'x-csrf-token': r.csrf },
        });
      }),
      { seed: 1866, numRuns: 20 },
    );
  });

  it('hostile tokens in the path answer a 4xx page and store nothing', async () => {
    const r = respondents.open;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('start', '', 'submit', 'autosave'),
        hostileSegment,
        async (step, segment) => {
          const path = `/s/${segment}${step ? `/${step}` : ''}`;
          const json = step === 'autosave';
          const body = json
            ? new WireBody('application/json', Buffer.from('{"values":{}}'), 'autosave')
            : formBody({ _csrf: r.csrf, page: '1', lang: 'en' });
          const res = await check(r.agent, path, body, {
            json,
            headers: json ? { 'x-csrf-token': r.csrf } : {},
          });
          expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { seed: 1867, numRuns: 20 },
    );
  });
});
