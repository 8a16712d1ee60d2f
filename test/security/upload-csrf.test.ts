import mongoose from 'mongoose';
import request from 'supertest';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { createThroughPage, staff } from '../assessments/pages.helpers';

// Upload forms send their CSRF token as a field of the multipart body, never in the URL (where it
// would reach access logs, history and Referer); the token in a URL counts for nothing.
useTestDb();
const app = makeApp();

type Staff = Awaited<ReturnType<typeof staff>>;
const links = (id: string) =>
  mongoose.connection.collection('links').countDocuments({ assessmentId: id });
const topics = async (id: string) =>
  (
    await mongoose.connection
      .collection<{ _id: string; topics?: unknown[] }>('assessments')
      .findOne({ _id: id })
  )?.topics?.length ?? 0;

/** The multipart form of a page whose action ends with `path`: its action and hidden fields, in order. */
function uploadForm(html: string, path: string) {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms.find(
    (m) => m[1]!.includes(`${path}"`) && m[1]!.includes('multipart/form-data'),
  );
  if (!form) throw new Error(`no upload form for ${path}`);
  const action = /action="([^"]*)"/.exec(form[1]!)![1]!;
  const hidden = [...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
    (m) => [m[1]!, m[2]!] as const,
  );
  return { action, hidden };
}

const cases = [
  {
    name: 'invitee upload',
    page: (id: string) => `/assessments/${id}/invitations`,
    path: '/invitations/upload',
    fields: { group: 'investors' } as Record<string, string>,
    file: 'name,email\r\nAda,ada@example.com\r\nBo,bo@example.com\r\n',
    filename: 'invitees.csv',
    stored: async (id: string) => links(id),
  },
  {
    name: 'topic import',
    page: (id: string) => `/assessments/${id}/topics`,
    path: '/topic-import',
    fields: {} as Record<string, string>,
    file: 'code,name_en,category\r\nnew-a,New A,E\r\nnew-b,New B,S\r\n',
    filename: 'topics.csv',
    stored: async (id: string) => topics(id),
  },
];

describe.each(cases)('$name form', ({ page, path, fields, file, filename, stored }) => {
  let s: Staff;
  let id: string;
  beforeEach(async () => {
    s = await staff(app);
    id = await createThroughPage(s, 'xiaomi-2024');
  });

  const post = (url: string, token?: string) => {
    let req = s.agent.post(url);
    if (token !== undefined) req = req.field('_csrf', token);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', Buffer.from(file), { filename, contentType: 'text/csv' });
  };

  it('has no token in its URL, and a real upload through the form works', async () => {
    const html = (await s.agent.get(page(id))).text;
    const { action, hidden } = uploadForm(html, path);
    expect(action).toBe(`/assessments/${id}${path}`);
    expect(action).not.toContain('?');
    expect(hidden.map(([k]) => k)).toEqual(['_csrf']);
    const before = await stored(id);
    let req = s.agent.post(action);
    for (const [k, v] of hidden) req = req.field(k, v);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    const res = await req.attach('file', Buffer.from(file), { filename, contentType: 'text/csv' });
    expect(res.status).toBe(303);
    expect(await stored(id)).toBe(before + 2);
  });

  it('refuses the token in the URL only (403), storing nothing', async () => {
    const before = await stored(id);
    const res = await post(`/assessments/${id}${path}?_csrf=${encodeURIComponent(s.csrf)}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form has expired');
    expect(await stored(id)).toBe(before);
  });

  it('refuses an upload without a token or with a wrong one (403), storing nothing', async () => {
    const before = await stored(id);
    expect((await post(`/assessments/${id}${path}`)).status).toBe(403);
    expect((await post(`/assessments/${id}${path}`, 'x'.repeat(40))).status).toBe(403);
    expect(await stored(id)).toBe(before);
  });

  it('takes the token as a header too (scripts)', async () => {
    const before = await stored(id);
    const res = await post(`/assessments/${id}${path}`).set('X-CSRF-Token', s.csrf);
    expect(res.status).toBe(303);
    expect(await stored(id)).toBe(before + 2);
  });
});

it('a token in the URL counts for nothing on any POST, form or multipart', async () => {
  const s = await staff(app);
  const url = `/assessments?_csrf=${encodeURIComponent(s.csrf)}`;
  const form = await s.agent
    .post(url)
    .type('form')
    .send({ name: 'Via URL', reportingYear: '2025', template: 'blank' });
  expect(form.status).toBe(403);
  const multi = await s.agent
    .post(url)
    .field('name', 'Via URL')
    .field('reportingYear', '2025')
    .field('template', 'blank');
  expect(multi.status).toBe(403);
  const anon = await request(app).post(url).field('x', 'y');
  expect(anon.status).toBe(403);
  expect(
    await mongoose.connection.collection('assessments').countDocuments({ name: 'Via URL' }),
  ).toBe(0);
});
