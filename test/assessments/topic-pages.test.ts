import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { createThroughPage, staff, text } from './pages.helpers';

useTestDb();
const app = makeApp();

type Doc = {
  topics: {
    code: string;
    name: Record<string, string>;
    description: Record<string, string>;
    category: string;
    impactProfile: Record<string, unknown>;
  }[];
  iros: { id: string; topic: string }[];
};
const stored = async (id: string) =>
  (await mongoose.connection
    .collection('assessments')
    .findOne({ _id: id as never })) as unknown as Doc;
const codes = async (id: string) => (await stored(id)).topics.map((t) => t.code);

const topicForm = (code: string, extra: Record<string, string> = {}) => ({
  code,
  'name.en': `Topic ${code}`,
  'name.zh-Hant': `議題 ${code}`,
  'name.zh-Hans': `议题 ${code}`,
  'description.en': `About ${code}`,
  'description.zh-Hant': '',
  'description.zh-Hans': '',
  category: 'E',
  'impactProfile.nature': 'negative',
  'impactProfile.occurrence': 'potential',
  'impactProfile.humanRights': 'yes',
  ...extra,
});

describe('topics through the pages', () => {
  it('adds, edits, reorders and removes topics', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    for (const c of ['t1', 't2', 't3']) {
      const res = await s.form(`/assessments/${id}/topics`, topicForm(c));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/assessments/${id}/topics?done=topicAdded`);
    }
    expect(await codes(id)).toEqual(['t1', 't2', 't3']);
    expect((await stored(id)).topics[0]).toMatchObject({
      category: 'E',
      impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
    });

    const edit = await s.agent.get(`/assessments/${id}/topics/t2`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('value="Topic t2"');
    const saved = await s.form(`/assessments/${id}/topics/t2`, {
      ...topicForm('ignored'),
      'name.en': 'Water',
      category: 'S',
    });
    expect(saved.status).toBe(303);
    const t2 = (await stored(id)).topics[1];
    expect(t2).toMatchObject({ code: 't2', name: { en: 'Water' }, category: 'S' });

    expect((await s.form(`/assessments/${id}/topics/t3/move`, { direction: 'up' })).status).toBe(
      303,
    );
    expect(await codes(id)).toEqual(['t1', 't3', 't2']);
    expect((await s.form(`/assessments/${id}/topics/t1/move`, { direction: 'down' })).status).toBe(
      303,
    );
    expect(await codes(id)).toEqual(['t3', 't1', 't2']);
    const list = await s.agent.get(`/assessments/${id}/topics`);
    expect(list.text.indexOf('id="topic-t3"')).toBeLessThan(list.text.indexOf('id="topic-t1"'));

    const confirm = await s.agent.get(`/assessments/${id}/topics/t1/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Remove “Topic t1” (t1) from this assessment?');
    expect(await codes(id)).toHaveLength(3);
    expect((await s.form(`/assessments/${id}/topics/t1/remove`)).status).toBe(303);
    expect(await codes(id)).toEqual(['t3', 't2']);
  });

  it('keeps the input and shows field errors on 422, and a duplicate code as a field error', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const bad = await s.form(
      `/assessments/${id}/topics`,
      topicForm('bad code!', { 'name.en': '' }),
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Use letters, digits, - and _ only');
    expect(bad.text).toContain('The English text is required.');
    expect(bad.text).toContain('value="bad code!"');
    expect(bad.text).toContain('value="議題 bad code!"');
    await s.form(`/assessments/${id}/topics`, topicForm('dup'));
    const dup = await s.form(`/assessments/${id}/topics`, topicForm('dup'));
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('A topic with this code already exists.');
    expect(await codes(id)).toEqual(['dup']);
  });

  it('marks a missing Chinese name visibly', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    await s.form(
      `/assessments/${id}/topics`,
      topicForm('half', { 'name.zh-Hant': '半', 'name.zh-Hans': '' }),
    );
    const page = await s.agent.get(`/assessments/${id}/topics`);
    expect(page.text).toMatch(
      /<span class="missing-translation">Missing translation: 简体中文<\/span>/,
    );
    expect(page.text).not.toContain('Missing translation: 繁體中文');
    expect((await stored(id)).topics[0]!.name).toEqual({ en: 'Topic half', 'zh-Hant': '半' });
  });

  it('adds and removes entries of the IRO register', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'hkex');
    const add = await s.form(`/assessments/${id}/topics/A1/iros`, {
      type: 'risk',
      actuality: 'potential',
      stage: 'upstream',
      horizon: 'long',
      description: 'Carbon pricing on suppliers',
    });
    expect(add.status).toBe(303);
    const page = await s.agent.get(`/assessments/${id}/topics/A1`);
    expect(text(page.text)).toContain(
      'Risk Potential Upstream Long term (beyond 5 years) Carbon pricing on suppliers',
    );
    const [iro] = (await stored(id)).iros;
    expect(iro).toMatchObject({
      topic: 'A1',
      type: 'risk',
      actuality: 'potential',
      stage: 'upstream',
      horizon: 'long',
    });

    const empty = await s.form(`/assessments/${id}/topics/A1/iros`, {
      type: 'impact-positive',
      actuality: 'actual',
      stage: 'downstream',
      horizon: 'short',
      description: '',
    });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('This field is required.');

    expect((await s.form(`/assessments/${id}/topics/A1/iros/${iro!.id}/remove`)).status).toBe(303);
    expect((await stored(id)).iros).toEqual([]);
  });
});

const HEADER =
  'code,name_en,name_zh-Hant,name_zh-Hans,description_en,description_zh-Hant,description_zh-Hans,category,nature,occurrence,human_rights';

describe('topic import', () => {
  const upload = (
    s: Awaited<ReturnType<typeof staff>>,
    id: string,
    body: Buffer,
    filename: string,
  ) =>
    s.agent
      .post(`/assessments/${id}/topic-import`)
      .field('_csrf', s.csrf)
      .attach('file', body, filename);

  it('offers a CSV template with the header row and a BOM', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const res = await s.agent
      .get(`/assessments/${id}/topics/template.csv`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('topics-template.csv');
    const body = (res.body as Buffer).toString('utf8');
    expect(body.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
  });

  it('imports a CSV (BOM, yes/no values, a blank line)', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const csv = `\uFEFF${HEADER}\r\nwater,Water,水資源,水资源,"Use, reuse",,,e,negative,potential,yes\r\n\r\nethics,Ethics,,,,,,G,,,\r\n`;
    const res = await upload(s, id, Buffer.from(csv), 'topics.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/assessments/${id}/topics?done=imported&n=2`);
    const { topics } = await stored(id);
    expect(topics.map((t) => t.code)).toEqual(['water', 'ethics']);
    expect(topics[0]).toMatchObject({
      category: 'E',
      description: { en: 'Use, reuse' },
      impactProfile: { nature: 'negative', occurrence: 'potential', humanRights: true },
    });
    expect(topics[1]!.impactProfile).toEqual({
      nature: 'negative',
      occurrence: 'actual',
      humanRights: false,
    });
    expect((await s.agent.get(res.headers.location!)).text).toContain('Topics imported: 2.');
  });

  it('refuses a CSV with bad rows: 422 listing row numbers, nothing imported', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const csv = [
      HEADER,
      'ok,Fine,,,,,,E,,,',
      'bad code,Bad,,,,,,S,,,',
      '',
      'nocat,No category,,,,,,X,,,',
      'hr,Human rights,,,,,,S,negative,actual,maybe',
      'ok,Duplicate,,,,,,G,,,',
    ].join('\n');
    const res = await upload(s, id, Buffer.from(csv), 'topics.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Nothing was imported: some rows are not valid.');
    const report = text(res.text);
    expect(report).toContain('3 code Use letters, digits, - and _ only');
    expect(report).toContain('5 category Use E, S or G.'); // the blank line 4 still counts as a row
    expect(report).toContain('6 human_rights Use yes or no.');
    expect(report).toContain('7 code A topic with this code already exists.');
    expect(report).not.toMatch(/\b2 code\b/);
    expect(await codes(id)).toEqual([]);
  });

  it('refuses files without a header row, in a legacy encoding or old Excel format', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const noHeader = await upload(s, id, Buffer.from('water,Water,,,,,,E\n'), 'topics.csv');
    expect(noHeader.status).toBe(422);
    expect(noHeader.text).toContain('The first row must be a header');
    const big5 = await upload(
      s,
      id,
      Buffer.from([...Buffer.from(`${HEADER}\nwater,`), 0xa4, 0xf4, 0x0a]),
      'topics.csv',
    );
    expect(big5.text).toContain('The file is not UTF-8 text.');
    const xls = await upload(
      s,
      id,
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      'topics.xls',
    );
    expect(xls.text).toContain('Old Excel files (.xls) are not supported.');
    const none = await s.agent
      .post(`/assessments/${id}/topic-import`)
      .field('_csrf', s.csrf)
      .field('x', 'y');
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose a file to upload.');
    const tooBig = await upload(s, id, Buffer.alloc(2 * 1024 * 1024 + 10, 0x41), 'big.csv');
    expect(tooBig.status).toBe(422);
    expect(tooBig.text).toContain('The file is too large.');
    expect(await codes(id)).toEqual([]);
  });

  async function xlsx(rows: (string | number | boolean)[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Topics');
    ws.addRow(HEADER.split(','));
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('imports an XLSX file', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const file = await xlsx([
      ['climate', 'Climate', '氣候', '气候', 'Emissions', '', '', 'E', 'negative', 'actual', 'no'],
      ['people', 'People', '', '', '', '', '', 'S', 'positive', 'potential', true],
      ['g1', 'Conduct', '', '', '', '', '', 'G', '', '', 0],
    ]);
    const res = await upload(s, id, file, 'topics.xlsx');
    expect(res.status).toBe(303);
    const { topics } = await stored(id);
    expect(topics.map((t) => t.code)).toEqual(['climate', 'people', 'g1']);
    expect(topics[0]!.name).toEqual({ en: 'Climate', 'zh-Hant': '氣候', 'zh-Hans': '气候' });
    expect(topics[1]!.impactProfile).toEqual({
      nature: 'positive',
      occurrence: 'potential',
      humanRights: true,
    });
  });

  it('refuses an XLSX file with bad rows and imports nothing', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'hkex');
    const file = await xlsx([
      ['new1', 'New', '', '', '', '', '', 'E', '', '', ''],
      ['A1', 'Clashes with the template', '', '', '', '', '', 'E', '', '', ''],
      ['new2', '', '', '', '', '', '', 'S', 'sideways', '', ''],
    ]);
    const res = await upload(s, id, file, 'topics.xlsx');
    expect(res.status).toBe(422);
    const report = text(res.text);
    expect(report).toContain('3 code A topic with this code already exists.');
    expect(report).toContain('4 name_en The English text is required.');
    expect(report).toContain('4 nature Use negative or positive.');
    expect(await codes(id)).toHaveLength(12);
    const broken = await upload(
      s,
      id,
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
      'broken.xlsx',
    );
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('The Excel file cannot be read.');
  });
});
