import mongoose from 'mongoose';
import request from 'supertest';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { closedAssessment, SIGN } from '../review/review.helpers';
import { surveyOn } from '../surveys/survey-pages.helpers';
import { staff } from './pages.helpers';

// The organisation on the questionnaire (issue 20 §5): set on the Settings tab (multipart, the CSRF
// token a hidden field), shown in the respondent pages' header in three languages, its logo served
// under a content-hash URL; refused logos store nothing; "copy for next year" keeps it.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const survey = surveyOn(app);

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const NAMES = { en: 'Acme & Co', 'zh-Hant': '艾克美公司', 'zh-Hans': '艾克美公司（简）' };

type Staff = Awaited<ReturnType<typeof staff>>;

function postBranding(
  s: Staff,
  id: string,
  fields: Record<string, string>,
  logo?: { data: Buffer; filename: string },
) {
  let req = s.agent.post(`/assessments/${id}/settings/branding`).field('_csrf', s.csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return logo ? req.attach('file', logo.data, logo.filename) : req;
}

const withNames = {
  orgName_en: NAMES.en,
  'orgName_zh-Hant': NAMES['zh-Hant'],
  'orgName_zh-Hans': NAMES['zh-Hans'],
};

const stored = async (id: string) =>
  (await mongoose.connection.collection('assessments').findOne({ _id: id as never }))?.branding as
    { name?: Record<string, string>; logo?: { hash: string; type: string } } | undefined;

const logoSrc = (html: string) => /<img class="org-logo" src="([^"]+)" alt="([^"]*)"/.exec(html);

async function branded() {
  const s = await survey();
  const analyst = await staff(app, 'analyst');
  const res = await postBranding(analyst, s.id, withNames, { data: PNG, filename: 'logo.png' });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(`/assessments/${s.id}/settings?done=brandingSaved#branding`);
  return { ...s, analyst };
}

describe('organisation branding', () => {
  it('is set through the Settings form and shown on respondent pages in en, zh-Hant and zh-Hans', async () => {
    const { id, tokens, analyst } = await branded();
    const b = await stored(id);
    expect(b?.name).toEqual(NAMES);
    expect(b?.logo?.type).toBe('image/png');

    const settings = await analyst.agent.get(`/assessments/${id}/settings?done=brandingSaved`);
    expect(settings.status).toBe(200);
    expect(settings.text).toContain('The organisation has been saved.');
    expect(settings.text).toContain('value="Acme &amp; Co"');
    expect(settings.text).toContain(`/s/logo/${id}/${b?.logo?.hash}`);

    const alts = {
      en: 'Acme &amp; Co logo',
      'zh-Hant': '艾克美公司標誌',
      'zh-Hans': '艾克美公司（简）标志',
    };
    for (const lang of ['en', 'zh-Hant', 'zh-Hans'] as const) {
      const page = await request(app).get(`/s/${tokens[0]}?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('class="brand org-brand"');
      expect(page.text).toContain(
        `<span class="org-name">${lang === 'en' ? 'Acme &amp; Co' : NAMES[lang]}</span>`,
      );
      const img = logoSrc(page.text);
      expect(img?.[1]).toBe(`/s/logo/${id}/${b?.logo?.hash}`);
      expect(img?.[2]).toBe(alts[lang]);
      // The product's name is not the header's brand any more.
      expect(page.text).not.toMatch(/<span class="brand">/);
    }
  });

  it('serves the logo bytes with long caching and nosniff; a wrong hash is 404; a GET changes nothing', async () => {
    const { id, tokens } = await branded();
    const hash = (await stored(id))?.logo?.hash;
    const before = await mongoose.connection
      .collection('assessments')
      .findOne({ _id: id as never });
    const drafts = await mongoose.connection.collection('drafts').countDocuments({});

    const res = await request(app)
      .get(`/s/logo/${id}/${hash}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    expect(res.headers['content-type']).toMatch(/^image\/png/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');

    expect((await request(app).get(`/s/logo/${id}/AAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await request(app).get(`/s/logo/${'0'.repeat(24)}/${hash}`)).status).toBe(404);
    expect((await request(app).get(`/s/logo/nope/${hash}`)).status).toBe(404);

    for (const path of ['', '?page=1', '/review'])
      expect((await request(app).get(`/s/${tokens[0]}${path}`)).status).toBeLessThan(500);
    const after = await mongoose.connection.collection('assessments').findOne({ _id: id as never });
    expect(after).toEqual(before);
    expect(await mongoose.connection.collection('drafts').countDocuments({})).toBe(drafts);
  });

  it('refuses an SVG or a too-large logo with a readable 422 and stores nothing', async () => {
    const { id, analyst } = await branded();
    const was = await stored(id);
    const svg = await postBranding(
      analyst,
      id,
      { orgName_en: 'Other name' },
      { data: SVG, filename: 'logo.png' },
    );
    expect(svg.status).toBe(422);
    expect(svg.text).toContain('The logo must be a PNG or JPEG image');
    expect(svg.text).toContain('href="#logo"');

    const big = Buffer.concat([PNG, Buffer.alloc(201 * 1024)]);
    const tooBig = await postBranding(analyst, id, withNames, { data: big, filename: 'big.png' });
    expect(tooBig.status).toBe(422);
    expect(tooBig.text).toContain('The logo is too large');

    const longName = await postBranding(analyst, id, { orgName_en: 'x'.repeat(121) });
    expect(longName.status).toBe(422);
    expect(longName.text).toContain('The organisation name is too long');
    expect(await stored(id)).toEqual(was);
  });

  it('removes the logo (its URL is then 404), keeps the names; no branding shows the product again', async () => {
    const { id, tokens, analyst } = await branded();
    const hash = (await stored(id))?.logo?.hash;
    const removed = await postBranding(analyst, id, { ...withNames, removeLogo: '1' });
    expect(removed.status).toBe(303);
    expect(await stored(id)).toEqual({ name: NAMES });
    expect((await request(app).get(`/s/logo/${id}/${hash}`)).status).toBe(404);
    const page = await request(app).get(`/s/${tokens[0]}?lang=en`);
    expect(page.text).toContain('<span class="org-name">Acme &amp; Co</span>');
    expect(logoSrc(page.text)).toBeNull();

    expect((await postBranding(analyst, id, {})).status).toBe(303);
    const plain = await request(app).get(`/s/${tokens[0]}?lang=en`);
    expect(plain.text).toContain('<span class="brand">Materiality</span>');
    expect(plain.text).not.toContain('org-brand');
  });

  it('a viewer cannot set it; "copy for next year" keeps name and logo', async () => {
    const { id, analyst } = await branded();
    const viewer = await staff(app, 'viewer');
    expect((await postBranding(viewer, id, { orgName_en: 'Hijack' })).status).toBe(403);
    expect((await stored(id))?.name?.en).toBe(NAMES.en);

    const copied = await analyst.form(`/assessments/${id}/copy`, {
      name: 'Next year',
      reportingYear: '2026',
    });
    expect(copied.status).toBe(303);
    const copyId = /\/assessments\/([a-f0-9]{24})/.exec(copied.headers.location ?? '')?.[1] ?? '';
    const [src, copy] = [await stored(id), await stored(copyId)];
    expect(copy?.name).toEqual(NAMES);
    expect(copy?.logo?.hash).toBe(src?.logo?.hash);
    expect((await request(app).get(`/s/logo/${copyId}/${src?.logo?.hash}`)).status).toBe(200);
  });

  it('stays editable after sign-off (it changes no result), audited as assessment.update', async () => {
    const { id, api } = await closedAssessment(app);
    const approver = await apiClient(app, 'approver');
    expect((await approver.post(`/api/v1/assessments/${id}/signoff`, SIGN)).status).toBe(200);
    const analyst = await staff(app, 'analyst');
    const res = await postBranding(analyst, id, withNames, { data: PNG, filename: 'logo.png' });
    expect(res.status).toBe(303);
    expect((await stored(id))?.name).toEqual(NAMES);
    const audit = await api.get(`/api/v1/assessments/${id}/audit?limit=200`);
    const entry = (
      audit.body.entries as { action: string; target?: string; after?: { logo?: unknown } }[]
    ).find((e) => e.target === 'branding');
    expect(entry?.action).toBe('assessment.update');
    expect(entry?.after?.logo).toMatchObject({ type: 'image/png', bytes: PNG.length });
  });
});
