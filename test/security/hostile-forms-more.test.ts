import fc from 'fast-check';
import mongoose from 'mongoose';
import request from 'supertest';
import { csrfFrom, makeApp } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { useTestDb } from '../helpers/db';
import { staff } from '../assessments/pages.helpers';
import { closedAssessment, REASON, SIGN } from '../review/review.helpers';
import {
  expectErrorPage,
  formBody,
  hostileForm,
  invalidUtf8,
  judge,
  multipart,
  nastyString,
  pct,
  sendBody,
  settled,
  WATCHED_MORE,
  WireBody,
  type FormFields,
  type Part,
} from './hostile.helpers';

// Issue 17 §2, the form routes hostile-forms.test.ts leaves out: the organisation's branding
// (multipart, with a logo), copy for next year and the topic map, the review page's posts
// (override, delete override, keep as computed, sign-off, reopen), the e-mail forms of the
// invitations page (send, remind, delete invitees, e-mail settings), the quality exclusions and
// the invitee's opt-out (/s/:token/opt-out). Each is posted by a browser that holds a valid CSRF
// token, so the hostile part reaches the route, not only the CSRF check. Whatever is posted: never
// a 5xx, never a hang; a refusal is a page and stores nothing (also no audit entry, snapshot,
// message, e-mail setting or exclusion); an acceptance stores no smuggled key.

useTestDb();
const app = makeApp({
  SUBMIT_MAX_PER_MINUTE: '100000',
  LOGIN_MAX_PER_IP: '100000',
  LOGIN_MAX_PER_ACCOUNT: '100000',
});

type Staff = Awaited<ReturnType<typeof staff>>;
type Agent = Staff['agent'];
let analyst: Staff;
let approver: Staff;
/** Bearer headers for the requests that set the stage (not judged). */
const bearer: Record<'analyst' | 'approver', Record<string, string>> = {
  analyst: {},
  approver: {},
};
/** Closed, with responses, topics t1..t3: the review posts, exclusions and the copy source. */
let reviewId: string;
/** Closed, with responses: signed off and reopened, over and over. */
let signId: string;
/** A copy of reviewId: the target of the topic map. */
let copyId: string;
/** Open, group staff, personal links with e-mail addresses: the send forms, settings, branding. */
let mailId: string;
let linkIds: string[];
/** Closed, with personal links with addresses: deleting the invitees. */
let closedMailId: string;
/** The invitee who opts out, in their own browser. */
let invitee: { agent: Agent; csrf: string; token: string };

const page = (id: string, rest: string) => `/assessments/${id}/${rest}`;
const v1 = (id: string, rest: string) => `/api/v1/assessments/${id}/${rest}`;

async function mailAssessment(name: string, emails: string[]) {
  const api = await apiClient(app, 'analyst');
  const id = (await api.post('/api/v1/assessments', { name, reportingYear: 2025 })).body
    .id as string;
  expect(
    (await api.post(v1(id, 'topics'), { code: 'climate', name: { en: 'C' }, category: 'E' }))
      .status,
  ).toBe(201);
  expect(
    (
      await api.post(v1(id, 'groups'), {
        code: 'staff',
        name: { en: 'Staff' },
        kind: 'internal',
        instruments: ['impact'],
      })
    ).status,
  ).toBe(201);
  expect((await api.post(v1(id, 'status'), { status: 'open' })).status).toBe(200);
  const links = await api.post(v1(id, 'invitations'), { group: 'staff', kind: 'personal', emails });
  expect(links.status).toBe(201);
  return { api, id, linkIds: (links.body as { id: string }[]).map((l) => l.id) };
}

beforeAll(async () => {
  analyst = await staff(app, 'analyst');
  approver = await staff(app, 'approver');
  for (const who of ['analyst', 'approver'] as const)
    bearer[who] = { Authorization: `Bearer ${(await apiClient(app, who)).token}` };
  reviewId = (await closedAssessment(app, { topics: ['t1', 't2', 't3'], name: 'Review' })).id;
  signId = (await closedAssessment(app, { name: 'Sign' })).id;
  const copy = await request(app)
    .post(v1(reviewId, 'copy'))
    .set(bearer.analyst)
    .send({ name: 'Copy', reportingYear: 2026 });
  expect(copy.status).toBe(201);
  copyId = copy.body.id as string;

  const mail = await mailAssessment('Mail', [
    'ann@example.com',
    'bo@example.com',
    'cy@example.com',
  ]);
  mailId = mail.id;
  linkIds = mail.linkIds;
  const closed = await mailAssessment('Closed mail', ['dee@example.com', 'ed@example.com']);
  closedMailId = closed.id;
  // Messages to cancel on opting out and to redact on deleting invitees.
  for (const id of [mailId, closedMailId])
    expect(
      (await request(app).post(v1(id, 'invitations/send')).set(bearer.analyst).send({})).status,
    ).toBe(202);
  expect((await closed.api.post(v1(closedMailId, 'status'), { status: 'closed' })).status).toBe(
    200,
  );

  const agent = request.agent(app);
  const token = linkIds[2]!;
  const optOutPage = await agent.get(`/s/${token}/opt-out`).set('Accept-Language', 'en');
  expect(optOutPage.status).toBe(200);
  invitee = { agent, csrf: csrfFrom(optOutPage.text), token };
  await settled();
});

const judged = judge(WATCHED_MORE);

/** Posts one body as `agent` and checks what every answer must satisfy (see judge): a refusal is a page. */
function check(agent: Agent, path: string, body: WireBody, headers: Record<string, string> = {}) {
  return judged(() => sendBody(agent.post(path).set(headers), body), expectErrorPage);
}

/** A request that sets the stage for the next judged one; it must succeed. */
async function prepare(
  method: 'post' | 'put',
  path: string,
  body: object,
  who: 'analyst' | 'approver',
  status: number,
) {
  const res = await judged.unjudged(() => request(app)[method](path).set(bearer[who]).send(body));
  expect(res.status).toBe(status);
}

/** signId closed (for a sign-off) or approved (for a reopening), whatever the previous run did. */
async function signIdIs(want: 'closed' | 'approved') {
  const now = (await request(app).get(`/api/v1/assessments/${signId}`).set(bearer.analyst)).body
    .status as string;
  if (now === want) return;
  if (want === 'closed')
    await prepare('post', v1(signId, 'reopen'), { reason: REASON }, 'approver', 200);
  else await prepare('post', v1(signId, 'signoff'), SIGN, 'approver', 200);
}

const mailSettings: FormFields = {
  organisation: 'Acme Holdings',
  deadline: '2026-03-31',
  replyTo: 'esg@example.com',
  'templates.invitation.en.subject': 'Your view, {{name}}',
  'templates.invitation.en.body': 'Hello {{name}},\r\n{{link}}\r\nNo more mail: {{optOutLink}}',
  'templates.reminder.en.subject': 'A reminder from {{organisation}}',
  'templates.reminder.en.body': 'Until {{deadline}}: {{link}} (stop: {{optOutLink}})',
  'schedule.enabled': 'on',
  'schedule.everyDays': '7',
  'schedule.maxReminders': '2',
};

// Per route; 13 routes, about 260 posts in all (with the preparing requests), which keeps this
// file near 30 s on the embedded database.
const RUNS = 20;

describe('review, copy, e-mail and exclusion forms, posted with a valid CSRF token', () => {
  const routes: {
    name: string;
    who: () => Staff;
    path: () => string;
    valid: () => FormFields;
    before?: () => Promise<void>;
  }[] = [
    {
      name: 'POST /assessments/:id/copy',
      who: () => analyst,
      path: () => page(reviewId, 'copy'),
      valid: () => ({ name: 'Next year', reportingYear: '2026' }),
    },
    {
      name: 'POST /assessments/:id/topic-map',
      who: () => analyst,
      path: () => page(copyId, 'topic-map'),
      valid: () => ({ map: 't1 = t1, t2\r\nt3 = t3' }),
    },
    {
      name: 'POST /assessments/:id/review/overrides/:topic',
      who: () => analyst,
      path: () => page(reviewId, 'review/overrides/t1'),
      valid: () => ({ material: 'true', rationale: REASON }),
    },
    {
      name: 'POST /assessments/:id/review/overrides/:topic/delete',
      who: () => analyst,
      path: () => page(reviewId, 'review/overrides/t2/delete'),
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
      name: 'POST /assessments/:id/review/decisions/:topic',
      who: () => analyst,
      path: () => page(reviewId, 'review/decisions/t3'),
      valid: () => ({ rationale: REASON }),
    },
    {
      name: 'POST /assessments/:id/review/signoff',
      who: () => approver,
      path: () => page(signId, 'review/signoff'),
      valid: () => SIGN,
      before: () => signIdIs('closed'),
    },
    {
      name: 'POST /assessments/:id/review/reopen',
      who: () => approver,
      path: () => page(signId, 'review/reopen'),
      valid: () => ({ reason: REASON }),
      before: () => signIdIs('approved'),
    },
    {
      name: 'POST /assessments/:id/invitations/send',
      who: () => analyst,
      path: () => page(mailId, 'invitations/send'),
      valid: () => ({ group: 'staff', linkIds: linkIds.slice(0, 2), back: 'staff' }),
    },
    {
      name: 'POST /assessments/:id/invitations/remind',
      who: () => analyst,
      path: () => page(mailId, 'invitations/remind'),
      valid: () => ({ group: 'staff', linkIds: linkIds.slice(0, 2), minHours: '0', back: 'staff' }),
    },
    {
      name: 'POST /assessments/:id/invitations/delete-invitees',
      who: () => analyst,
      path: () => page(closedMailId, 'invitations/delete-invitees'),
      valid: () => ({ back: 'staff' }),
    },
    {
      name: 'POST /assessments/:id/invitations/email',
      who: () => analyst,
      path: () => page(mailId, 'invitations/email'),
      valid: () => mailSettings,
    },
    {
      name: 'POST /assessments/:id/exclusions',
      who: () => analyst,
      path: () => page(reviewId, 'exclusions'),
      valid: () => ({ exclude: ['straightLining', 'speeder'] }),
    },
  ];

  it.each(routes.map((r, i) => ({ ...r, seed: 2001 + i })))(
    '$name: never a 5xx, a page, nothing stored when refused',
    async ({ who, path, valid, before, seed }) => {
      const s = who();
      await fc.assert(
        fc.asyncProperty(hostileForm(valid(), s.csrf), async (body) => {
          await before?.();
          await check(s.agent, path(), body);
        }),
        { seed, numRuns: RUNS },
      );
    },
    60_000,
  );

  it('POST /s/:token/opt-out: never a 5xx, a page, nothing stored when refused', async () => {
    await fc.assert(
      fc.asyncProperty(hostileForm({ lang: 'en' }, invitee.csrf), async (body) => {
        await check(invitee.agent, `/s/${invitee.token}/opt-out`, body);
      }),
      { seed: 2021, numRuns: RUNS },
    );
  }, 60_000);

  it('the valid forms are accepted (the properties above reach the services)', async () => {
    await signIdIs('closed');
    const ok: [Staff | typeof invitee, string, FormFields][] = [
      [analyst, page(reviewId, 'copy'), { name: 'Again', reportingYear: '2027' }],
      [analyst, page(copyId, 'topic-map'), { map: 't2 = t1' }],
      [analyst, page(reviewId, 'review/overrides/t1'), { material: 'false', rationale: REASON }],
      [analyst, page(reviewId, 'review/overrides/t1/delete'), { rationale: REASON }],
      [analyst, page(reviewId, 'review/decisions/t3'), { rationale: REASON }],
      [approver, page(signId, 'review/signoff'), SIGN],
      [approver, page(signId, 'review/reopen'), { reason: REASON }],
      [analyst, page(mailId, 'invitations/send'), { group: '', back: '' }],
      [analyst, page(mailId, 'invitations/remind'), { minHours: '0' }],
      [analyst, page(closedMailId, 'invitations/delete-invitees'), {}],
      [analyst, page(mailId, 'invitations/email'), mailSettings],
      [analyst, page(reviewId, 'exclusions'), { exclude: 'speeder' }],
      [invitee, `/s/${invitee.token}/opt-out`, { lang: 'zh-Hant' }],
    ];
    for (const [who, path, fields] of ok) {
      const res = await check(who.agent, path, formBody({ ...fields, _csrf: who.csrf }));
      expect({ path, status: res.status }).toEqual({ path, status: 303 });
    }
    const link = await mongoose.connection
      .collection('links')
      .findOne({ _id: invitee.token as never });
    expect(link?.optedOutAt).toBeInstanceOf(Date);
  }, 60_000);
});

// ---- the branding form (multipart: the CSRF token a field of the body, also sent as a header) ----

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

/** Logos a user could upload: real, type-lying, truncated, too large (for the logo, for any upload), empty, random. */
const hostileLogo = fc.oneof(
  fc.constantFrom(
    PNG,
    Buffer.concat([PNG.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')]),
    PNG.subarray(0, 8),
    PNG.subarray(0, 20),
    Buffer.from([0xff, 0xd8, 0xff]),
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]),
    SVG,
    Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'),
    Buffer.from('%PDF-1.7\n'),
    Buffer.alloc(0),
    Buffer.concat([PNG, Buffer.alloc(200 * 1024 + 1 - PNG.length)]),
    Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024 + 1 - PNG.length)]),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => Buffer.from(b)),
);

const hostileName = fc.oneof(
  nastyString,
  fc.constantFrom('a'.repeat(120), 'a'.repeat(121), ' '.repeat(500), '水'.repeat(121), ''),
);

/** Multipart bodies for the branding form: a logo and names, parts added, repeated or out of order, broken framing. */
function hostileBranding(csrf: string): fc.Arbitrary<WireBody> {
  const text = (name: string, value: string | Buffer): Part => ({
    name,
    content: Buffer.isBuffer(value) ? value : Buffer.from(value),
  });
  const names = {
    orgName_en: 'Acme & Co',
    'orgName_zh-Hant': '艾克美公司',
    'orgName_zh-Hans': '艾克美公司',
  };
  const fields = (over: Record<string, string | Buffer> = {}) =>
    Object.entries({ _csrf: csrf, ...names, removeLogo: '0', ...over }).map(([k, v]) => text(k, v));
  const file = (content: Buffer, filename = 'logo.png', type = 'image/png'): Part => ({
    name: 'file',
    filename,
    type,
    content,
  });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          hostileLogo,
          fc.constantFrom(
            'logo.png',
            'logo.svg',
            '../../etc/passwd',
            '__proto__',
            'x"; name="other',
            '水.png',
            '',
          ),
          fc.constantFrom('image/png', 'image/svg+xml', 'text/html', 'application/octet-stream'),
          fc.constantFrom(...Object.keys(names)),
          hostileName,
          fc.constantFrom('0', '1', 'on', '', '1\u0000'),
        )
        .map(([logo, filename, type, field, name, removeLogo]) =>
          multipart([...fields({ [field]: name, removeLogo }), file(logo, filename, type)], {
            label: `logo of ${logo.length} bytes, ${field} of ${name.length} characters`,
          }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            '__proto__',
            'constructor',
            '__proto__[polluted]',
            'constructor[prototype][polluted]',
            'orgName_en[$gt]',
            'orgName_en[]',
            'orgName_en',
            'removeLogo',
            'file',
            '_csrf',
            'a.b',
            '',
          ),
          fc.oneof(
            hostileName,
            invalidUtf8.map((b) => Buffer.concat([Buffer.from('ok'), b])),
          ),
          hostileLogo,
        )
        .map(([name, value, logo]) =>
          multipart([...fields(), text(name, value), file(logo)], {
            label: `part ${JSON.stringify(name)} added`,
          }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        multipart([...fields(), file(PNG), file(PNG, 'second.png')], { label: 'two files' }),
        multipart([file(PNG), ...fields()], { label: 'the file before the token' }),
        multipart([...fields(), { ...file(PNG), name: 'logo' }], {
          label: 'file under another name',
        }),
        multipart(fields({ removeLogo: '1' }), { label: 'no file, remove the logo' }),
        multipart(
          [...fields(), ...Array.from({ length: 20 }, (_, i) => text(`f${i}`, 'x')), file(PNG)],
          { label: 'too many parts' },
        ),
        multipart([...fields({ orgName_en: 'x'.repeat(20_000) }), file(PNG)], {
          label: 'a field beyond the field size limit',
        }),
        multipart([...fields(), file(PNG)], { end: false, label: 'no closing boundary' }),
        multipart([...fields(), file(PNG)], { boundary: 'x'.repeat(200), label: 'long boundary' }),
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
        formBody({ _csrf: csrf, ...names, removeLogo: '1' }, 'urlencoded instead of multipart'),
        new WireBody(
          'application/json',
          Buffer.from(JSON.stringify({ _csrf: csrf, orgName_en: { $gt: '' }, removeLogo: ['1'] })),
          'JSON instead of multipart',
        ),
      ),
    },
  );
}

describe('POST /assessments/:id/settings/branding (multipart)', () => {
  it('never a 5xx, a page, nothing stored when refused', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBranding(analyst.csrf), async (body) => {
        // The token as a header too: a hostile body may be unreadable before its field.
        await check(analyst.agent, page(mailId, 'settings/branding'), body, {
          'X-CSRF-Token': analyst.csrf,
        });
      }),
      { seed: 2031, numRuns: 40 },
    );
  }, 60_000);

  it('a valid logo and names are accepted', async () => {
    const res = await check(
      analyst.agent,
      page(mailId, 'settings/branding'),
      multipart([
        { name: '_csrf', content: Buffer.from(analyst.csrf) },
        { name: 'orgName_en', content: Buffer.from('Acme') },
        { name: 'file', filename: 'logo.png', type: 'image/png', content: PNG },
      ]),
    );
    expect(res.status).toBe(303);
  });
});

/** Path segments where ids, topic codes and link tokens belong. */
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
      'T1',
      't1%00',
    ),
    nastyString.map((s) => pct(s.slice(0, 500)).slice(0, 3000)),
  )
  .filter((s) => s !== '');

describe('hostile ids, topic codes and tokens in form paths', () => {
  const targets: {
    who: () => Staff | typeof invitee;
    path: (x: string) => string;
    valid: FormFields;
  }[] = [
    {
      who: () => analyst,
      path: (x) => page(x, 'copy'),
      valid: { name: 'x', reportingYear: '2026' },
    },
    { who: () => analyst, path: (x) => page(x, 'topic-map'), valid: { map: 't1 = t1' } },
    {
      who: () => analyst,
      path: (x) => page(x, 'review/overrides/t1'),
      valid: { material: 'true', rationale: REASON },
    },
    {
      who: () => analyst,
      path: (x) => page(reviewId, `review/overrides/${x}`),
      valid: { material: 'true', rationale: REASON },
    },
    {
      who: () => analyst,
      path: (x) => page(reviewId, `review/overrides/${x}/delete`),
      valid: { rationale: REASON },
    },
    {
      who: () => analyst,
      path: (x) => page(reviewId, `review/decisions/${x}`),
      valid: { rationale: REASON },
    },
    { who: () => approver, path: (x) => page(x, 'review/signoff'), valid: SIGN },
    { who: () => approver, path: (x) => page(x, 'review/reopen'), valid: { reason: REASON } },
    { who: () => analyst, path: (x) => page(x, 'invitations/send'), valid: { group: 'staff' } },
    { who: () => analyst, path: (x) => page(x, 'invitations/remind'), valid: { minHours: '0' } },
    { who: () => analyst, path: (x) => page(x, 'invitations/delete-invitees'), valid: {} },
    { who: () => analyst, path: (x) => page(x, 'invitations/email'), valid: mailSettings },
    { who: () => analyst, path: (x) => page(x, 'exclusions'), valid: { exclude: 'speeder' } },
    { who: () => analyst, path: (x) => page(x, 'settings/branding'), valid: { orgName_en: 'x' } },
    { who: () => invitee, path: (x) => `/s/${x}/opt-out`, valid: { lang: 'en' } },
  ];

  it('answers a 4xx page and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), hostileSegment, async (t, segment) => {
        const s = t.who();
        const res = await check(s.agent, t.path(segment), formBody({ ...t.valid, _csrf: s.csrf }));
        expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      { seed: 2041, numRuns: 50 },
    );
  }, 60_000);

  it('an open link has no opt-out: 404, nothing stored', async () => {
    const open = (
      await judged.unjudged(() =>
        request(app)
          .post(v1(mailId, 'invitations'))
          .set(bearer.analyst)
          .send({ group: 'staff', kind: 'open' }),
      )
    ).body[0].token as string;
    const res = await check(
      invitee.agent,
      `/s/${open}/opt-out`,
      formBody({ lang: 'en', _csrf: invitee.csrf }),
    );
    expect(res.status).toBe(404);
  });
});

// The e-mail forms of the invitations page redirect to `…/invitations?group=<back>&done=…`. The
// posted `back` went in unchecked, so a long one made a 303 whose Location header outgrew Node's
// 16 KiB header limit (and a reverse proxy's 4–8 KiB buffer: a 502), after the work was done. Now
// only a well-formed group code is kept (`back()` in src/mail/mail.routes.ts).
describe('the posted `back` of the invitations forms, unbounded', () => {
  it.each(['invitations/send', 'invitations/remind', 'invitations/delete-invitees'])(
    'POST /assessments/:id/%s with a 20,000-character back: an answer the client can read, a short Location',
    async (route) => {
      const id = route === 'invitations/delete-invitees' ? closedMailId : mailId;
      let outcome: string;
      try {
        const res = await check(
          analyst.agent,
          page(id, route),
          formBody({ _csrf: analyst.csrf, back: 'x'.repeat(20_000) }),
        );
        outcome = `${res.status}, Location of ${String(res.headers.location ?? '').length} characters`;
      } catch (err) {
        outcome = `no answer the client can read: ${(err as Error).message}`;
      }
      expect(outcome).toMatch(/^(303|4\d\d), Location of \d{1,3} characters$/);
    },
  );
});
