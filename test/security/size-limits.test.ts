import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mongoose from 'mongoose';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { csrfFrom, makeApp } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { staff, text } from '../assessments/pages.helpers';
import { MAX_UPLOAD_BYTES } from '../../src/assessments/pages/upload';
import {
  checkZipLimits,
  declaredUnzippedBytes,
  MAX_UNZIPPED_BYTES,
  MAX_ZIP_ENTRIES,
  RATIO_FLOOR_BYTES,
  ZipLimitError,
} from '../../src/assessments/import/zip-limits';
import { MAX_ERROR_DETAILS } from '../../src/shared/error-handler';
import { expectErrorPage, expectErrorShape, rawJson, sendBody, WireBody } from './hostile.helpers';

// The size limits of README "Security": request bodies (1 MB of JSON or form fields, after any
// Content-Encoding is undone), uploaded files (2 MB) and what an uploaded XLSX may unpack to
// (MAX_UNZIPPED_BYTES, checked from the zip's central directory before anything is inflated). Each
// limit is tested just inside and just outside.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '100000' });

const MiB = 1024 * 1024;
let api: Awaited<ReturnType<typeof apiClient>>;
let s: Awaited<ReturnType<typeof staff>>;
/** Open, for the respondent routes. */
let id: string;
let token: string;
/** A draft, for the uploads (kept apart: a submission, even a refused one, may lock an open assessment). */
let draftId: string;

beforeAll(async () => {
  api = await apiClient(app, 'analyst');
  s = await staff(app, 'analyst');
  id = (await api.post('/api/v1/assessments', { name: 'Limits', reportingYear: 2025 })).body
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
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  token = (
    await api.post(`/api/v1/assessments/${id}/invitations`, { group: 'staff', kind: 'open' })
  ).body[0].token;
  draftId = (await api.post('/api/v1/assessments', { name: 'Imports', reportingYear: 2025 })).body
    .id as string;
  expect(
    (
      await api.post(`/api/v1/assessments/${draftId}/topics`, {
        code: 'climate',
        name: { en: 'Climate' },
        category: 'E',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await api.post(`/api/v1/assessments/${draftId}/groups`, {
        code: 'staff',
        name: { en: 'Staff' },
        kind: 'internal',
        instruments: ['impact'],
      })
    ).status,
  ).toBe(201);
});

const stored = async () =>
  (await mongoose.connection
    .collection('assessments')
    .findOne({ _id: draftId as never })) as unknown as { topics: { code: string }[] };

/** `{"name":"xxx…"}` (or the field given) of exactly `bytes` bytes. */
const jsonOfSize = (bytes: number, field = 'name') => {
  const shell = JSON.stringify({ [field]: '' });
  return new WireBody(
    'application/json',
    Buffer.from(shell.replace('""', `"${'x'.repeat(bytes - shell.length)}"`)),
    `${bytes} bytes of JSON`,
  );
};

describe('JSON bodies: at most 1 MB (1,048,576 bytes), on every route', () => {
  const routes: [string, 'post' | 'patch', () => string][] = [
    ['POST /api/v1/assessments', 'post', () => '/api/v1/assessments'],
    ['PATCH /api/v1/assessments/:id', 'patch', () => `/api/v1/assessments/${id}`],
    ['POST /api/v1/assessments/:id/topics', 'post', () => `/api/v1/assessments/${id}/topics`],
    ['POST /api/v1/assessments/:id/groups', 'post', () => `/api/v1/assessments/${id}/groups`],
    ['POST /api/v1/assessments/:id/status', 'post', () => `/api/v1/assessments/${id}/status`],
    [
      'POST /api/v1/assessments/:id/invitations',
      'post',
      () => `/api/v1/assessments/${id}/invitations`,
    ],
    ['POST /api/v1/survey/:token', 'post', () => `/api/v1/survey/${token}`],
  ];
  it.each(routes)(
    '%s: 1 MB is read (a 422 on its content), 1 MB + 1 byte is 413 body_too_large',
    async (_name, method, path) => {
      const inside = await sendBody(
        request(app)[method](path()).set('Authorization', `Bearer ${api.token}`),
        jsonOfSize(MiB),
      );
      expect(inside.status).toBe(422);
      expectErrorShape(inside);
      const outside = await sendBody(
        request(app)[method](path()).set('Authorization', `Bearer ${api.token}`),
        jsonOfSize(MiB + 1),
      );
      expect(outside.status).toBe(413);
      expectErrorShape(outside);
      expect(outside.body.error).toEqual({
        code: 'body_too_large',
        message: 'The request body is too large.',
      });
    },
  );

  it('counts the inflated size of a compressed body: 20 MB gzipped into 20 kB is 413', async () => {
    const inflated = jsonOfSize(20 * MiB);
    const res = await request(app)
      .post('/api/v1/assessments')
      .set({
        Authorization: `Bearer ${api.token}`,
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      })
      .serialize((b: unknown) => b as string)
      .send(zlib.gzipSync(inflated.bytes) as unknown as string);
    expect(res.status).toBe(413);
    expectErrorShape(res);
  });

  it('answers 413 before asking for a token: the body is refused unread', async () => {
    const res = await sendBody(request(app).post('/api/v1/assessments'), jsonOfSize(MiB + 1));
    expect(res.status).toBe(413);
    expectErrorShape(res);
  });

  it('refuses a body in another encoding or charset with a 4xx in the error shape', async () => {
    const latin1 = await sendBody(
      request(app).post('/api/v1/assessments').set('Authorization', `Bearer ${api.token}`),
      new WireBody('application/json; charset=latin1', Buffer.from('{}'), 'latin1'),
    );
    expect(latin1.status).toBe(415);
    expectErrorShape(latin1);
    const br = await request(app)
      .post('/api/v1/assessments')
      .set({
        Authorization: `Bearer ${api.token}`,
        'Content-Type': 'application/json',
        'Content-Encoding': 'x-unknown',
      })
      .send('{}');
    expect(br.status).toBe(415);
    expectErrorShape(br);
  });

  it('autosave (the questionnaire page’s JSON): 1 MB + 1 byte is 413 in the error shape', async () => {
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get(`/s/${token}`)).text);
    const res = await sendBody(
      agent.post(`/s/${token}/autosave`).set({ Accept: 'application/json', 'x-csrf-token': csrf }),
      jsonOfSize(MiB + 1, 'values'),
    );
    expect(res.status).toBe(413);
    expectErrorShape(res);
  });
});

describe('refusals stay small, whatever the body holds', () => {
  it('lists the first 100 of 400,000 failing answers, says how many more, and answers at once', async () => {
    const started = Date.now();
    const res = await sendBody(
      request(app).post(`/api/v1/survey/${token}`),
      rawJson(`{"answers":[${Array<string>(400_000).fill('1').join(',')}]}`, '400,000 answers'),
    );
    expect(res.status).toBe(422);
    expectErrorShape(res);
    expect(res.body.error.details).toHaveLength(MAX_ERROR_DETAILS);
    expect(res.body.error.detailsOmitted).toBeGreaterThanOrEqual(400_000 - MAX_ERROR_DETAILS);
    expect(res.text.length).toBeLessThan(20_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('names the first 10 of 50,000 unknown keys', async () => {
    const body = `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":1`).join(',')}}`;
    const res = await sendBody(
      request(app).patch(`/api/v1/assessments/${id}`).set('Authorization', `Bearer ${api.token}`),
      rawJson(body, '50,000 keys'),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      {
        path: '(body)',
        message:
          'Unrecognized keys: "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9" and 49990 more',
      },
    ]);
  });
});

describe('form bodies: at most 1 MB and 1000 fields', () => {
  const formOfSize = (bytes: number) => {
    const head = `_csrf=${encodeURIComponent(s.csrf)}&reportingYear=2025&name=`;
    return new WireBody(
      'application/x-www-form-urlencoded',
      Buffer.from(head + 'x'.repeat(bytes - head.length)),
      `${bytes} bytes of form`,
    );
  };
  it('1 MB is read (422: the name is too long), 1 MB + 1 byte is a 413 page', async () => {
    const inside = await sendBody(s.agent.post('/assessments'), formOfSize(MiB));
    expect(inside.status).toBe(422);
    const outside = await sendBody(s.agent.post('/assessments'), formOfSize(MiB + 1));
    expect(outside.status).toBe(413);
    expectErrorPage(outside);
    expect(outside.text).toContain('The request body is too large.');
    // Refused before the language middleware ran, yet in the browser's language.
    const zh = await sendBody(
      s.agent.post('/assessments').set('Accept-Language', 'zh-TW,zh;q=0.9'),
      formOfSize(MiB + 1),
    );
    expect(zh.status).toBe(413);
    expect(zh.text).toContain('請求內容過大。');
    expect(zh.text).toContain('<html lang="zh-Hant"');
  });

  it('1000 fields are read, 1001 are a 413 page', async () => {
    const fields = (n: number) =>
      [
        `_csrf=${encodeURIComponent(s.csrf)}`,
        'name=Fields',
        'reportingYear=2025',
        ...Array.from({ length: n - 3 }, (_, i) => `f${i}=1`),
      ].join('&');
    const inside = await sendBody(
      s.agent.post('/assessments'),
      new WireBody('application/x-www-form-urlencoded', Buffer.from(fields(1000)), '1000 fields'),
    );
    expect(inside.status).toBe(303);
    const outside = await sendBody(
      s.agent.post('/assessments'),
      new WireBody('application/x-www-form-urlencoded', Buffer.from(fields(1001)), '1001 fields'),
    );
    expect(outside.status).toBe(413);
    expectErrorPage(outside);
  });

  it('the questionnaire page form: 1 MB + 1 byte is a 413 page', async () => {
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get(`/s/${token}`)).text);
    const head = `_csrf=${encodeURIComponent(csrf)}&page=1&x=`;
    const res = await sendBody(
      agent.post(`/s/${token}`),
      new WireBody(
        'application/x-www-form-urlencoded',
        Buffer.from(head + 'x'.repeat(MiB + 1 - head.length)),
        'big page',
      ),
    );
    expect(res.status).toBe(413);
    expectErrorPage(res);
  });
});

describe('uploaded files: at most 2 MB', () => {
  const upload = (path: string, body: Buffer, filename: string) =>
    s.agent.post(path).field('_csrf', s.csrf).attach('file', body, filename);
  const csvOfSize = (header: string, bytes: number) =>
    Buffer.from(`${header}\r\n${'x'.repeat(bytes - header.length - 2)}`);

  it.each([
    ['topic import', () => `/assessments/${draftId}/topic-import`, 'code,name_en'],
    ['invitee upload', () => `/assessments/${draftId}/invitations/upload`, 'name,email'],
  ])(
    '%s: 2 MB is read (refused for its rows), 2 MB + 1 byte is "too large"',
    async (_name, path, header) => {
      expect(MAX_UPLOAD_BYTES).toBe(2 * MiB);
      const inside = await upload(path(), csvOfSize(header, MAX_UPLOAD_BYTES), 'list.csv');
      expect(inside.status).toBe(422);
      expect(inside.text).not.toContain('The file is too large.');
      const outside = await upload(path(), csvOfSize(header, MAX_UPLOAD_BYTES + 1), 'list.csv');
      expect(outside.status).toBe(422);
      expect(outside.text).toContain('The file is too large.');
    },
  );
});

// ---- zip archives, written byte by byte so that they can lie ----

interface ZipEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated (default), anything else as given. */
  method?: number;
  /** The uncompressed size the headers declare, when not the true one. */
  declared?: number;
  flags?: number;
  /** Sizes in a ZIP64 extra field, the header saying 0xFFFFFFFF. */
  zip64?: boolean;
}

function zipOf(
  entries: ZipEntry[],
  { prefix = Buffer.alloc(0), zip64Eocd }: { prefix?: Buffer; zip64Eocd?: { count: number } } = {},
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = prefix.length;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = method === 8 ? zlib.deflateRawSync(e.data) : e.data;
    const size = e.declared ?? e.data.length;
    const name = Buffer.from(e.name);
    const extra = e.zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (e.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(16, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.zip64 ? 0xffffffff : body.length, 18);
    local.writeUInt32LE(e.zip64 ? 0xffffffff : size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(e.zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(e.zip64 ? 0xffffffff : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name, extra);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  if (zip64Eocd) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(BigInt(zip64Eocd.count), 24);
    record.writeBigUInt64LE(BigInt(zip64Eocd.count), 32);
    record.writeBigUInt64LE(BigInt(cd.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    tail.push(record, locator);
    eocd.writeUInt16LE(0xffff, 8);
    eocd.writeUInt16LE(0xffff, 10);
    eocd.writeUInt32LE(0xffffffff, 12);
    eocd.writeUInt32LE(0xffffffff, 16);
  } else {
    eocd.writeUInt16LE(entries.length, 8);
    eocd.writeUInt16LE(entries.length, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(offset, 16);
  }
  return Buffer.concat([prefix, ...locals, cd, ...tail, eocd]);
}

/** Why checkZipLimits refuses `buf`, or 'accepted'. */
function verdict(buf: Buffer): string {
  try {
    checkZipLimits(buf);
    return 'accepted';
  } catch (err) {
    if (err instanceof ZipLimitError) return err.reason;
    throw err;
  }
}

async function topicWorkbook(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Topics');
  ws.addRow(['code', 'name_en', 'category']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('XLSX topic upload: the zip is measured before it is inflated', () => {
  const importXlsx = (body: Buffer) =>
    s.agent
      .post(`/assessments/${draftId}/topic-import`)
      .field('_csrf', s.csrf)
      .attach('file', body, 'topics.xlsx');

  it('refuses a zip bomb (a real workbook plus 50 MB of zeros, 2 MB at most on the wire) with the import report, importing nothing', async () => {
    const zip = await JSZip.loadAsync(await topicWorkbook([['bomb', 'Bomb', 'E']]));
    zip.file('xl/media/zeros.bin', Buffer.alloc(50 * MiB));
    const bomb = await zip.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      compressionOptions: { level: 9 },
    });
    expect(bomb.length).toBeLessThan(MAX_UPLOAD_BYTES);
    expect(declaredUnzippedBytes(bomb)).toBeGreaterThan(50 * MiB);
    const started = Date.now();
    const res = await importXlsx(bomb);
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('The file is too large.');
    expect(res.text).toContain('id="import-report-title"');
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await stored()).topics.map((t) => t.code)).toEqual(['climate']);
  });

  it('refuses an archive whose entry inflates to more than it declares (1 kB declared, 20 MB inside)', async () => {
    const liar = zipOf([
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * MiB, 0x20), declared: 1000 },
    ]);
    expect(declaredUnzippedBytes(liar)).toBe(1000);
    expect(verdict(liar)).toBe('tooLarge');
    const res = await importXlsx(liar);
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('The file is too large.');
  });

  it('refuses a garbled archive as unreadable, and still imports a workbook within the limits', async () => {
    const garbled = zipOf([{ name: 'a.xml', data: Buffer.from('<a/>') }]).subarray(0, 40);
    const refused = await importXlsx(garbled);
    expect(refused.status).toBe(422);
    expect(text(refused.text)).toContain('The Excel file cannot be read.');
    const ok = await importXlsx(await topicWorkbook([['water', 'Water', 'E']]));
    expect(ok.status).toBe(303);
    expect((await stored()).topics.map((t) => t.code)).toEqual(['climate', 'water']);
  });

  it('unpacked total: MAX_UNZIPPED_BYTES is accepted, one byte more is too large', () => {
    const half = MAX_UNZIPPED_BYTES / 2;
    expect(
      verdict(
        zipOf([
          { name: 'a', data: Buffer.alloc(half, 1), method: 0 },
          { name: 'b', data: Buffer.alloc(half, 2), method: 0 },
        ]),
      ),
    ).toBe('accepted');
    expect(
      verdict(
        zipOf([
          { name: 'a', data: Buffer.alloc(half, 1), method: 0 },
          { name: 'b', data: Buffer.alloc(half + 1, 2), method: 0 },
        ]),
      ),
    ).toBe('tooLarge');
  });

  it('compression ratio: above 100:1 is refused once the archive unpacks to more than 1 MB', () => {
    expect(verdict(zipOf([{ name: 'zeros', data: Buffer.alloc(RATIO_FLOOR_BYTES) }]))).toBe(
      'accepted',
    );
    expect(verdict(zipOf([{ name: 'zeros', data: Buffer.alloc(RATIO_FLOOR_BYTES + 1) }]))).toBe(
      'tooLarge',
    );
    const random = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 251));
    const mixed = [
      { name: 'random', data: random, method: 0 },
      { name: 'text', data: Buffer.from('<row/>'.repeat(400_000)) },
    ];
    expect(declaredUnzippedBytes(zipOf(mixed)) / zipOf(mixed).length).toBeLessThan(100);
    expect(verdict(zipOf(mixed))).toBe('accepted');
  });

  it('entries: 1000 are accepted, 1001 are refused', () => {
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `e${i}`, data: Buffer.from('x'), method: 0 }));
    expect(MAX_ZIP_ENTRIES).toBe(1000);
    expect(verdict(zipOf(entries(1000)))).toBe('accepted');
    expect(verdict(zipOf(entries(1001)))).toBe('tooLarge');
  });

  it('reads ZIP64 sizes: an entry declaring 5 GB in its ZIP64 field, or a ZIP64 end record with 70,000 entries, is refused', () => {
    expect(verdict(zipOf([{ name: 'small', data: Buffer.from('<a/>'), zip64: true }]))).toBe(
      'accepted',
    );
    expect(
      verdict(
        zipOf([{ name: 'huge', data: Buffer.from('<a/>'), zip64: true, declared: 5 * 1024 * MiB }]),
      ),
    ).toBe('tooLarge');
    expect(
      verdict(zipOf([{ name: 'a', data: Buffer.from('<a/>') }], { zip64Eocd: { count: 1 } })),
    ).toBe('accepted');
    expect(
      verdict(zipOf([{ name: 'a', data: Buffer.from('<a/>') }], { zip64Eocd: { count: 70_000 } })),
    ).toBe('tooLarge');
  });

  it('refuses what JSZip would read differently or cannot read: data before the archive, encrypted entries, other methods, no end record', () => {
    const entry = { name: 'a.xml', data: Buffer.from('<a/>') };
    // Bytes before an archive whose offsets count them are read alike by both: accepted.
    expect(verdict(zipOf([entry], { prefix: Buffer.from('MZ stub') }))).toBe('accepted');
    const cases = {
      // Offsets that do not count the bytes before the archive: JSZip would shift every one of them.
      prefixed: Buffer.concat([Buffer.from('MZ junk before the archive'), zipOf([entry])]),
      encrypted: zipOf([{ ...entry, flags: 1 }]),
      bzip2: zipOf([{ ...entry, method: 12 }]),
      storedSizeMismatch: zipOf([{ ...entry, method: 0, declared: 3 }]),
      noEndRecord: Buffer.from('PK\u0003\u0004 and nothing else, long enough'),
      truncated: zipOf([entry]).subarray(0, 60),
    };
    expect(Object.fromEntries(Object.entries(cases).map(([k, buf]) => [k, verdict(buf)]))).toEqual(
      Object.fromEntries(Object.keys(cases).map((k) => [k, 'unreadable'])),
    );
  });
});
