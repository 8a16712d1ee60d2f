import mongoose from 'mongoose';
import request from 'supertest';
import { countOpened } from '../../src/invitations/opened';
import { resolveLink } from '../../src/surveys/survey.service';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  createThroughPage,
  linkTokens,
  openThroughPage,
  staff,
  submitResponse,
  text,
} from '../assessments/pages.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

type Link = {
  _id: string;
  group: string;
  kind: string;
  name?: string;
  email?: string;
  label?: string;
  revokedAt: Date | null;
};
const links = async (id: string) =>
  (await mongoose.connection
    .collection('links')
    .find({ assessmentId: id })
    .toArray()) as unknown as Link[];

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('invitations page', () => {
  it('creates personal links in bulk, an open link, and lists them', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    const bulk = await s.form(`/assessments/${id}/invitations`, {
      kind: 'personal',
      group: 'users',
      count: '5',
    });
    expect(bulk.status).toBe(303);
    expect(bulk.headers.location).toBe(
      `/assessments/${id}/invitations?group=users&done=linksCreated&n=5#links`,
    );
    const open = await s.form(`/assessments/${id}/invitations`, {
      kind: 'open',
      group: 'users',
      label: 'Newsletter',
    });
    expect(open.status).toBe(303);
    const second = await s.form(`/assessments/${id}/invitations`, { kind: 'open', group: 'users' });
    expect(second.status).toBe(303);

    const all = await links(id);
    expect(all.filter((l) => l.kind === 'personal')).toHaveLength(5);
    expect(
      all
        .filter((l) => l.kind === 'open')
        .map((l) => l.label ?? null)
        .sort(),
    ).toEqual(['Newsletter', null]);

    const page = await s.agent.get(
      `/assessments/${id}/invitations?group=users&done=linksCreated&n=5`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('Links created: 5.');
    expect(page.text).toContain('The assessment is still a draft');
    expect(page.text.match(/class="link-url"/g)).toHaveLength(7);
    for (const l of all) expect(page.text).toContain(`value="http://localhost:3000/s/${l._id}"`);
    expect(page.text).toContain('Newsletter');

    const bad = await s.form(`/assessments/${id}/invitations`, {
      kind: 'personal',
      group: 'users',
      count: 'many',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter a whole number from 1 to 10,000.');
  });

  it('creates personal links from an uploaded CSV of invitees, and reports bad rows', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    const url = `/assessments/${id}/invitations/upload`;
    const csv =
      '\uFEFFname,email\r\nAda Lovelace,ada@example.com\r\n陳大文,chan@example.hk\r\n\r\n,only.mail@example.com\r\n';
    const ok = await s.agent
      .post(url)
      .field('_csrf', s.csrf)
      .field('group', 'investors')
      .attach('file', Buffer.from(csv), 'invitees.csv');
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toContain('group=investors&done=linksCreated&n=3');
    const made = await links(id);
    expect(made.map((l) => [l.group, l.kind, l.name ?? null, l.email ?? null])).toEqual([
      ['investors', 'personal', 'Ada Lovelace', 'ada@example.com'],
      ['investors', 'personal', '陳大文', 'chan@example.hk'],
      ['investors', 'personal', null, 'only.mail@example.com'],
    ]);

    const badCsv = 'name,email\nGood,good@example.com\nBad,not-an-address\n';
    const bad = await s.agent
      .post(url)
      .field('_csrf', s.csrf)
      .field('group', 'investors')
      .attach('file', Buffer.from(badCsv), 'invitees.csv');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('No links were created: some rows are not valid.');
    expect(text(bad.text)).toContain('3 email Enter a valid e-mail address.');
    const noHeader = await s.agent
      .post(url)
      .field('_csrf', s.csrf)
      .field('group', 'investors')
      .attach('file', Buffer.from('Ada,ada@example.com\n'), 'invitees.csv');
    expect(noHeader.text).toContain(
      'The first row must be a header with the columns name and email.',
    );
    expect(await links(id)).toHaveLength(3);
  });

  it('revokes a link: the respondent API then answers 404', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'hkex');
    await openThroughPage(s, id);
    await s.form(`/assessments/${id}/invitations`, {
      kind: 'personal',
      group: 'employees',
      count: '2',
    });
    const [token, other] = await linkTokens(s, id, 'employees');
    expect((await request(app).get(`/api/v1/survey/${token}`)).status).toBe(200);
    const res = await s.form(`/assessments/${id}/invitations/${token}/revoke`, {
      group: 'employees',
    });
    expect(res.status).toBe(303);
    expect((await request(app).get(`/api/v1/survey/${token}`)).status).toBe(404);
    expect((await request(app).get(`/api/v1/survey/${other}`)).status).toBe(200);
    const page = await s.agent.get(`/assessments/${id}/invitations?group=employees`);
    expect(page.text.match(/<tr class="revoked">/g)).toHaveLength(1);
    expect(page.text.match(/\/revoke"/g)).toHaveLength(1);
  });

  it('downloads links as a formula-safe CSV with a BOM', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    const url = `/assessments/${id}/invitations/upload`;
    const csv =
      'name,email\n"=HYPERLINK(""http://evil"")",a@example.com\n"Lee, Ann",b@example.com\n+cmd,c@example.com\n';
    expect(
      (
        await s.agent
          .post(url)
          .field('_csrf', s.csrf)
          .field('group', 'media')
          .attach('file', Buffer.from(csv), 'x.csv')
      ).status,
    ).toBe(303);
    await s.form(`/assessments/${id}/invitations`, {
      kind: 'personal',
      group: 'users',
      count: '1',
    });

    const res = await s.agent
      .get(`/assessments/${id}/invitations.csv?group=media`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toContain('invitations-media.csv');
    const body = (res.body as Buffer).toString('utf8');
    expect(
      body.startsWith('\uFEFFgroup,kind,name,email,label,url,opens,revoked,created_at\r\n'),
    ).toBe(true);
    const lines = body.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(4); // header + media only
    expect(lines[1]).toMatch(
      /^media,personal,"'=HYPERLINK\(""http:\/\/evil""\)",a@example\.com,,http:\/\/localhost:3000\/s\/[A-Za-z0-9_-]+,0,no,\d{4}-/,
    );
    expect(lines[2]).toContain('"Lee, Ann"');
    expect(lines[3]).toContain(",'+cmd,");
    const everything = await s.agent
      .get(`/assessments/${id}/invitations.csv`)
      .buffer(true)
      .parse(binary);
    expect((everything.body as Buffer).toString('utf8').trim().split('\r\n')).toHaveLength(5);
  });

  it('tracks invited, opened and submitted per group, with the response rate', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    await openThroughPage(s, id);
    await s.form(`/assessments/${id}/invitations`, {
      kind: 'personal',
      group: 'suppliers',
      count: '4',
    });
    const [first, second] = await linkTokens(s, id, 'suppliers');
    if (!first || !second) throw new Error('expected the four links');
    await request(app).get(`/s/${first}`); // a GET (a mail scanner) is not an opening
    await countOpened((await resolveLink(first)).link, id, 'suppliers'); // the first interaction
    await countOpened((await resolveLink(first)).link, id, 'suppliers'); // not a second "opened"
    await submitResponse(app, second);

    const page = await s.agent.get(`/assessments/${id}/invitations`);
    const row =
      new RegExp('<tr data-group="suppliers">([\\s\\S]*?)</tr>').exec(page.text)?.[1] ?? '';
    expect(row).toMatch(/data-col="invited">4</);
    expect(row).toMatch(/data-col="opened">1</);
    expect(row).toMatch(/data-col="submitted">1</);
    expect(text(row)).toContain('25% of invited');
    const overview = await s.agent.get(`/assessments/${id}`);
    expect(text(overview.text)).toMatch(/Suppliers 1 of \d+ /); // the dashboard's responses against targets
  });
});

describe('invitations page with many links', () => {
  it('shows 500 links a page with a pager, and the CSV has every link', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    expect(
      (
        await s.form(`/assessments/${id}/invitations`, {
          kind: 'personal',
          group: 'media',
          count: '501',
        })
      ).status,
    ).toBe(303);

    const first = await s.agent.get(`/assessments/${id}/invitations?group=media`);
    expect(first.status).toBe(200);
    expect(first.text.match(/class="link-url"/g)).toHaveLength(500);
    expect(text(first.text)).toContain('Links 1–500 of 501');
    expect(first.text).toContain(
      `href="/assessments/${id}/invitations?group=media&amp;page=2#links" rel="next"`,
    );
    expect(first.text).not.toContain('rel="prev"');

    const second = await s.agent.get(`/assessments/${id}/invitations?group=media&page=2`);
    expect(second.text.match(/class="link-url"/g)).toHaveLength(1);
    expect(text(second.text)).toContain('Links 501–501 of 501');
    expect(second.text).toContain('rel="prev"');
    // The link on page 2 is the 501st created: pages follow creation order without overlap.
    const urls = (html: string) =>
      [...html.matchAll(/class="link-url" id="link-\d+" value="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set([...urls(first.text), ...urls(second.text)]).size).toBe(501);

    const csv = await s.agent
      .get(`/assessments/${id}/invitations.csv?group=media`)
      .buffer(true)
      .parse(binary);
    expect((csv.body as Buffer).toString('utf8').trim().split('\r\n')).toHaveLength(502);
  });
});
