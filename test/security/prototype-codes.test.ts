import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { csrfFrom, makeApp } from '../helpers/app';
import { apiClient } from '../helpers/api';
import { asBuffer } from '../exports/binary';
import { staff } from '../assessments/pages.helpers';
import { rebuildTallies } from '../../src/results/tallies/rebuild.service';
import { parseSettingsForm } from '../../src/results/settings-form';
import { computeTopicResults, resolveSettings, suppressSmallGroups } from '../../src/scoring';
import { getStats, talliesOf } from '../../src/results/tallies/tally.service';
import { readCsv } from '../../src/assessments/import/sheet';

// Codes are user-chosen (letters, digits, `-`, `_`), so a company may call a topic or a group
// `__proto__` or `constructor`. They are valid codes and must behave like any other: right figures,
// working settings and exports, and no corruption of state shared by the whole process.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

const CODES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

type Api = Awaited<ReturnType<typeof apiClient>>;
let api: Api;
let s: Awaited<ReturnType<typeof staff>>;

/** Own property names of the objects a polluting write would change. */
function sharedState() {
  const targets = {
    Object,
    'Object.prototype': Object.prototype,
    Function,
    'Function.prototype': Function.prototype,
  };
  const out: Record<string, string[]> = {};
  for (const [name, target] of Object.entries(targets))
    out[name] = Object.getOwnPropertyNames(target).sort();
  for (const code of CODES) {
    const member = (Object.prototype as unknown as Record<string, unknown>)[code];
    if (member && (typeof member === 'object' || typeof member === 'function'))
      out[`Object.prototype.${code}`] = Object.getOwnPropertyNames(member).sort();
  }
  return out;
}
const stateBefore = sharedState();

/** Creates a blank assessment with these topics and groups, opens it, and returns an open link per group. */
async function openAssessment(
  name: string,
  topics: string[],
  groups: [string, ('impact' | 'financial')[]][],
) {
  const created = await api.post('/api/v1/assessments', { name, reportingYear: 2025 });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  for (const code of topics) {
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/topics`, {
          code,
          name: { en: `Topic ${code}` },
          category: 'E',
        })
      ).status,
    ).toBe(201);
  }
  for (const [code, instruments] of groups) {
    expect(
      (
        await api.post(`/api/v1/assessments/${id}/groups`, {
          code,
          name: { en: `Group ${code}` },
          kind: 'external',
          weight: 1,
          instruments,
        })
      ).status,
    ).toBe(201);
  }
  expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const tokens = new Map<string, string>();
  for (const [code] of groups) {
    const inv = await api.post(`/api/v1/assessments/${id}/invitations`, {
      group: code,
      kind: 'open',
    });
    expect(inv.status).toBe(201);
    tokens.set(code, inv.body[0].token);
  }
  return { id, link: (code: string) => tokens.get(code)! };
}

async function submit(token: string, answers: object[]) {
  const r = await request(app).post(`/api/v1/survey/${token}`).send({ answers });
  expect(r.status).toBe(201);
}

const impact = (topic: string, significance: number | null) => ({
  instrument: 'impact',
  topic,
  significance,
});
const financial = (topic: string, magnitude: number, likelihood: number) => ({
  instrument: 'financial',
  topic,
  magnitude,
  likelihood,
});

async function results(id: string, query = '') {
  const r = await api.get(`/api/v1/assessments/${id}/results${query}`);
  expect(r.status).toBe(200);
  return r.body;
}

/** Results without the times: computedAt changes on every read, dataUpdatedAt with a rebuild. */
const stable = <T extends object>(r: T): T => ({
  ...r,
  computedAt: undefined,
  dataUpdatedAt: undefined,
});
/** The topic `code` of a results body, as untyped as supertest hands the body over. */
const topicOf = (r: Awaited<ReturnType<typeof results>>, code: string) =>
  r.topics.find((t: { code: string }) => t.code === code);
const own = (o: object, key: string) => Object.hasOwn(o, key);

async function exportsOf(id: string) {
  const csv = await api.get(`/api/v1/assessments/${id}/export.csv?lang=en`);
  const responsesCsv = await api.get(`/api/v1/assessments/${id}/responses.csv?lang=en`);
  const xlsx = await asBuffer(api.get(`/api/v1/assessments/${id}/export.xlsx?lang=en`));
  expect([csv.status, responsesCsv.status, xlsx.status]).toEqual([200, 200, 200]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body);
  const sheet = (name: string) => {
    const ws = wb.getWorksheet(name);
    expect(ws).toBeDefined();
    const rows: unknown[][] = [];
    ws!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };
  const csvRows = (text: string) =>
    text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
  return { rankings: csvRows(csv.text), responses: csvRows(responsesCsv.text), sheet };
}

/** A normal assessment whose results must not move while the others are processed. */
let baseline: { id: string; results: unknown };

beforeAll(async () => {
  api = await apiClient(app, 'analyst');
  s = await staff(app, 'analyst');
  const { id, link } = await openAssessment(
    'Unrelated',
    ['climate', 'water'],
    [
      ['staff', ['impact']],
      ['board', ['financial']],
    ],
  );
  await submit(link('staff'), [impact('climate', 4), impact('water', 2)]);
  await submit(link('staff'), [impact('climate', 2), impact('water', null)]);
  await submit(link('board'), [financial('climate', 5, 4), financial('water', 1, 5)]);
  const r = await results(id);
  expect(topicOf(r, 'climate').impact).toMatchObject({ n: 2, score: 3 });
  expect(topicOf(r, 'climate').financial).toMatchObject({ n: 1, score: 4 });
  expect(r.responses).toEqual({ total: 3, byGroup: { staff: 2, board: 1 } });
  baseline = { id, results: stable(r) };
});

/** Drops the tallies, so the rebuild has to recreate every figure from the stored responses. */
async function rebuildFromScratch(id: string) {
  await mongoose.connection.collection('groupstats').deleteMany({ assessmentId: id });
  expect((await results(id)).responses.total).toBe(0);
  await rebuildTallies(id);
}

/** The unrelated assessment still reads the same, settings still validate, and nothing global changed. */
async function expectNoSharedCorruption() {
  expect(stable(await results(baseline.id))).toEqual(baseline.results);
  const patch = await api.patch(`/api/v1/assessments/${baseline.id}`, {
    settings: { thresholds: { impact: 3, financial: 3 } },
  });
  expect(patch.status).toBe(200);
  const csv = await api.get(`/api/v1/assessments/${baseline.id}/export.csv`);
  expect(csv.status).toBe(200);
  expect(sharedState()).toEqual(stateBefore);
  expect(({} as Record<string, unknown>).impact).toBeUndefined();
}

describe.each(CODES)('code %j', (code) => {
  it('works as a topic code', async () => {
    const { id, link } = await openAssessment(
      `Topic ${code}`,
      [code, 'plain'],
      [
        ['A', ['impact']],
        ['M', ['financial']],
      ],
    );
    await submit(link('A'), [impact(code, 5), impact('plain', 2)]);
    await submit(link('A'), [impact(code, 3), impact('plain', null)]);
    await submit(link('M'), [financial(code, 4, 5), financial('plain', 1, 5)]);
    await submit(link('M'), [financial(code, 2, 5), financial('plain', 1, 5)]);

    const r = await results(id);
    expect(r.responses).toEqual({ total: 4, byGroup: { A: 2, M: 2 } });
    const t = topicOf(r, code);
    expect(t).toBeDefined();
    expect(t.impact).toMatchObject({ n: 2, dontKnow: 0, score: 4, pooledMean: 4 });
    expect(t.impact.byGroup.A).toMatchObject({ n: 2, mean: 4 });
    expect(t.impact.byGroup.A.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(t.financial).toMatchObject({ n: 2, score: 3 });
    expect(t.financial.byGroup.M).toMatchObject({ n: 2, mean: 3 });
    expect(t.classification).toBe('double');
    expect(topicOf(r, 'plain').impact).toMatchObject({ n: 1, dontKnow: 1, score: 2 });

    const onlyA = await results(id, '?group=A');
    expect(onlyA.responses).toEqual({ total: 2, byGroup: { A: 2 } });
    expect(topicOf(onlyA, code).impact).toMatchObject({ n: 2, score: 4 });
    expect(topicOf(onlyA, code).financial).toMatchObject({ n: 0, score: null });

    // Settings: a weight of 0 drops M from the financial score; the impact threshold moves.
    const patch = await api.patch(`/api/v1/assessments/${id}`, {
      settings: { weights: { M: 0 }, thresholds: { impact: 4.5 }, minReportN: 1 },
    });
    expect(patch.status).toBe(200);
    expect(patch.body.settings.weights).toEqual({ A: 1, M: 0 });
    const after = await results(id);
    expect(after.settings.thresholds).toEqual({ impact: 4.5, financial: 3 });
    expect(topicOf(after, code).financial.score).toBeNull();
    expect(topicOf(after, code).classification).toBe('none');

    const files = await exportsOf(id);
    expect(files.rankings.filter((row) => row[1] === code)).toHaveLength(1);
    // Row 1 names the columns in the file's language, row 2 holds the codes.
    expect(files.responses[1]).toContain(`impact:${code}:significance`);
    expect(files.responses[1]).toContain(`financial:${code}:magnitude`);
    const col = files.responses[1]!.indexOf(`impact:${code}:significance`);
    expect(
      files.responses
        .slice(2)
        .map((row) => row[col])
        .filter(Boolean)
        .sort(),
    ).toEqual(['3', '5']);
    expect(files.sheet('Rankings').filter((row) => row[1] === code)).toHaveLength(1);
    expect(
      files
        .sheet('Per-group scores')
        .filter((row) => row[0] === code)
        .map((row) => [row[3], row[5], row[7]]),
    ).toEqual([
      ['A', 4, 2],
      ['M', 3, 2],
    ]);

    await rebuildFromScratch(id);
    expect(stable(await results(id))).toEqual(stable(after));
    await expectNoSharedCorruption();
  });

  it('works as a group code', async () => {
    const { id, link } = await openAssessment(
      `Group ${code}`,
      ['t1', 't2'],
      [
        [code, ['impact']],
        ['B', ['impact']],
        ['M', ['financial']],
      ],
    );
    await submit(link(code), [impact('t1', 5), impact('t2', 1)]);
    await submit(link(code), [impact('t1', 4), impact('t2', null)]);
    await submit(link('B'), [impact('t1', 2), impact('t2', 3)]);
    await submit(link('B'), [impact('t1', 2), impact('t2', 3)]);
    await submit(link('M'), [financial('t1', 5, 5), financial('t2', 1, 5)]);

    const r = await results(id);
    expect(r.responses.total).toBe(5);
    expect(own(r.responses.byGroup, code)).toBe(true);
    expect(r.responses.byGroup).toEqual({ [code]: 2, B: 2, M: 1 });
    const t1 = topicOf(r, 't1');
    expect(t1.impact).toMatchObject({ n: 4, score: 3.25, pooledMean: 3.25 });
    expect(Object.keys(t1.impact.byGroup)).toEqual([code, 'B']);
    expect(t1.impact.byGroup[code]).toMatchObject({ n: 2, mean: 4.5, dontKnow: 0 });
    expect(t1.financial).toMatchObject({ n: 1, score: 5 });
    expect(topicOf(r, 't2').impact.byGroup[code]).toMatchObject({ n: 1, mean: 1, dontKnow: 1 });
    // The JSON itself carries the code as an own key.
    const raw = await api.get(`/api/v1/assessments/${id}/results`);
    expect(raw.text).toContain(`"byGroup":{"${code}":2,"B":2,"M":1}`);

    const one = await results(id, `?group=${code}`);
    expect(one.group).toBe(code);
    expect(one.responses).toEqual({ total: 2, byGroup: { [code]: 2 } });
    expect(own(one.responses.byGroup, code)).toBe(true);
    expect(topicOf(one, 't1').impact).toMatchObject({ n: 2, score: 4.5 });
    expect(Object.keys(topicOf(one, 't1').impact.byGroup)).toEqual([code]);
    expect(topicOf(one, 't1').financial).toMatchObject({ n: 0, score: null });

    // Weights for that group: (3 × 4.5 + 1 × 2) / 4 = 3.875; thresholds follow too.
    const patch = await api.patch(`/api/v1/assessments/${id}`, {
      settings: {
        weights: { [code]: 3 },
        thresholds: { impact: 3.9, financial: 4 },
        minReportN: 1,
      },
    });
    expect(patch.status).toBe(200);
    expect(own(patch.body.settings.weights, code)).toBe(true);
    expect(patch.body.settings.weights).toEqual({ [code]: 3, B: 1, M: 1 });
    expect(patch.body.groups.find((g: { code: string }) => g.code === code).weight).toBe(3);
    const after = await results(id);
    expect(after.settings.weights).toEqual({ [code]: 3, B: 1, M: 1 });
    expect(after.settings.thresholds).toEqual({ impact: 3.9, financial: 4 });
    expect(topicOf(after, 't1').impact.score).toBeCloseTo(3.875, 12);
    expect(topicOf(after, 't1').classification).toBe('financial');
    // A weight of 0 leaves the group out of the score but keeps it in the figures.
    expect(
      (await api.patch(`/api/v1/assessments/${id}`, { settings: { weights: { [code]: 0 } } }))
        .status,
    ).toBe(200);
    const zero = await results(id);
    expect(topicOf(zero, 't1').impact.score).toBe(2);
    expect(topicOf(zero, 't1').impact.byGroup[code].n).toBe(2);
    expect(
      (await api.patch(`/api/v1/assessments/${id}`, { settings: { weights: { [code]: 3 } } }))
        .status,
    ).toBe(200);

    const files = await exportsOf(id);
    expect(files.rankings.map((row) => row[1]).sort()).toEqual(['Code', 't1', 't2']);
    expect(files.responses.slice(2).filter((row) => row[1] === `Group ${code}`)).toHaveLength(2);
    expect(
      files
        .sheet('Groups')
        .filter((row) => row[0] === code)
        .map((row) => [row[3], row[6]]),
    ).toEqual([[3, 2]]);
    expect(
      files
        .sheet('Per-group scores')
        .filter((row) => row[3] === code)
        .map((row) => [row[0], row[5], row[7]]),
    ).toEqual([
      ['t1', 4.5, 2],
      ['t2', 1, 1],
    ]);
    expect(files.sheet('Responses').filter((row) => row[1] === `Group ${code}`)).toHaveLength(2);

    const before = stable(await results(id));
    await rebuildFromScratch(id);
    const rebuilt = stable(await results(id));
    expect(rebuilt).toEqual(before);
    expect(own(rebuilt.responses.byGroup, code)).toBe(true);
    await expectNoSharedCorruption();
  });

  it('works in the imports, the questionnaire pages and the staff pages', async () => {
    // The code is a topic (from an uploaded file that also has a column named after it) and a group.
    const id = (
      await api.post('/api/v1/assessments', { name: `Pages ${code}`, reportingYear: 2025 })
    ).body.id as string;
    const file = `code,name_en,category,${code}\r\n${code},Topic ${code},E,x\r\nplain,Plain topic,S,y\r\n`;
    const imported = await s.agent
      .post(`/assessments/${id}/topic-import`)
      .field('_csrf', s.csrf)
      .attach('file', Buffer.from(file), 'topics.csv');
    expect(imported.status).toBe(303);
    for (const [g, instruments] of [
      [code, ['impact']],
      ['M', ['financial']],
    ] as const) {
      expect(
        (
          await api.post(`/api/v1/assessments/${id}/groups`, {
            code: g,
            name: { en: `Group ${g}` },
            kind: 'external',
            weight: 1,
            instruments,
          })
        ).status,
      ).toBe(201);
    }
    const invitees = `email,name,${code}\r\nada@example.com,Ada,x\r\n`;
    const invited = await s.agent
      .post(`/assessments/${id}/invitations/upload`)
      .field('_csrf', s.csrf)
      .field('group', code)
      .attach('file', Buffer.from(invitees), 'invitees.csv');
    expect(invited.status).toBe(303);
    expect((await getStats(id)).links[code]).toEqual({ invited: 1, opened: 0, submitted: 0 });
    expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(
      200,
    );
    const token = (
      await api.post(`/api/v1/assessments/${id}/invitations`, { group: code, kind: 'open' })
    ).body[0].token as string;
    const m = (
      await api.post(`/api/v1/assessments/${id}/invitations`, { group: 'M', kind: 'open' })
    ).body[0].token as string;

    // A respondent without JavaScript: intro, start, one page of answers (saved in the draft), review, submit.
    const browser = request.agent(app);
    const intro = await browser.get(`/s/${token}?lang=en`);
    expect(intro.status).toBe(200);
    const start = await browser
      .post(`/s/${token}/start`)
      .type('form')
      .send({ _csrf: csrfFrom(intro.text), lang: 'en' });
    expect(start.status).toBe(303);
    const page = await browser.get(start.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`name="impact:${code}:significance"`);
    const answered = await browser
      .post(`/s/${token}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        page: '1',
        nav: 'next',
        [`impact:${code}:significance`]: '4',
        'impact:plain:significance': 'dk',
      });
    expect(answered.headers.location).toBe(`/s/${token}/review`);
    const review = await browser.get(`/s/${token}/review`);
    expect(review.status).toBe(200);
    expect(review.text).toContain(`Topic ${code}`);
    const done = await browser
      .post(`/s/${token}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text) });
    expect(done.status).toBe(303);
    expect(done.headers.location).toMatch(/\/thanks/);
    await submit(m, [financial(code, 5, 4), financial('plain', 1, 5)]);

    const r = await results(id);
    expect(r.responses).toEqual({ total: 2, byGroup: { [code]: 1, M: 1 } });
    expect(topicOf(r, code).impact).toMatchObject({ n: 1, score: 4 });
    expect(topicOf(r, code).impact.byGroup[code]).toMatchObject({ n: 1, mean: 4 });
    expect(topicOf(r, 'plain').impact).toMatchObject({ n: 0, dontKnow: 1 });
    expect(topicOf(r, code).financial).toMatchObject({ n: 1, score: 4 });

    // Staff pages, and the scoring settings form (Settings tab) with a weight for the group.
    for (const path of [
      '',
      '/topics',
      '/groups',
      '/invitations',
      '/matrix',
      `/matrix?group=${code}`,
      '/exports',
    ]) {
      const res = await s.agent.get(
        `/assessments/${id}${path}${path.includes('?') ? '&' : '?'}lang=en`,
      );
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.text).toContain(code);
    }
    const rankings = await s.agent.get(`/assessments/${id}/rankings?lang=en`);
    expect(rankings.status).toBe(200);
    expect(rankings.text).toContain(`data-code="${code}"`);
    // The scoring settings (weights included) are on the Settings tab.
    const settingsPage = await s.agent.get(`/assessments/${id}/settings?lang=en`);
    expect(settingsPage.text).toMatch(
      new RegExp(`name="weights\\.${code}" type="number"[^>]*value="1"`),
    );
    const saved = await s.form(`/assessments/${id}/settings/scoring`, {
      'thresholds.impact': '3',
      'thresholds.financial': '4.5',
      rule: 'either',
      rankingMethod: 'exceedance',
      borderlineBand: '0.25',
      minGroupN: '1',
      minReportN: '1',
      [`weights.${code}`]: '2',
      'weights.M': '1',
    });
    expect(saved.status).toBe(303);
    const a = (await api.get(`/api/v1/assessments/${id}`)).body;
    expect(own(a.settings.weights, code)).toBe(true);
    expect(a.settings.weights).toEqual({ [code]: 2, M: 1 });
    const after = await s.agent.get(`/assessments/${id}/settings?lang=en`);
    expect(after.text).toMatch(new RegExp(`name="weights\\.${code}" type="number"[^>]*value="2"`));
    expect(topicOf(await results(id), code).classification).toBe('impact');
    await expectNoSharedCorruption();
  });
});

describe.each(CODES)('pure code with %j', (code) => {
  it('keeps it as an own key in tallies, scores, settings and uploaded sheets', () => {
    const tallies = talliesOf({
      _id: 'a:g',
      assessmentId: 'a',
      group: code,
      [`tally:${code}:impact:n`]: 2,
      [`tally:${code}:impact:sum`]: 7,
      [`tally:${code}:impact:sumSq`]: 25,
      [`tally:${code}:impact:dontKnow`]: 1,
    } as never);
    expect(Object.keys(tallies)).toEqual([code]);
    expect(tallies[code]!.impact).toEqual({ n: 2, sum: 7, sumSq: 25, dontKnow: 1 });

    // Input as it comes from JSON.parse: `__proto__` is an own key there, too.
    const input = JSON.parse(
      JSON.stringify({ [code]: { impact: { [code]: { n: 2, sum: 7, sumSq: 25, dontKnow: 1 } } } }),
    );
    const settings = resolveSettings({ weights: JSON.parse(JSON.stringify({ [code]: 2 })) });
    expect(Object.hasOwn(settings.weights, code)).toBe(true);
    const t = computeTopicResults({
      topics: [{ code, name: { en: code }, category: 'E' }],
      groups: [{ code, instruments: ['impact'] }],
      tallies: input,
      settings,
    })[0]!;
    expect(t.impact).toMatchObject({ n: 2, dontKnow: 1, score: 3.5 });
    expect(Object.keys(t.impact.byGroup)).toEqual([code]);
    expect(Object.keys(suppressSmallGroups(t.impact, 5).byGroup)).toEqual([code]);
    expect(JSON.parse(JSON.stringify(t.impact.byGroup))[code]).toMatchObject({ n: 2, mean: 3.5 });

    const form = Object.assign(Object.create(null), {
      'thresholds.impact': '3',
      'thresholds.financial': '3',
      rule: 'either',
      rankingMethod: 'sum',
      borderlineBand: '0',
      minGroupN: '1',
      minReportN: '1',
      [`weights.${code}`]: '2.5',
    });
    expect(Object.entries(parseSettingsForm(form).weights)).toEqual([[code, 2.5]]);

    const sheet = readCsv(Buffer.from(`code,${code}\r\nx,y\r\n`));
    expect(sheet.rows[0]!.cells[code.toLowerCase()]).toBe('y');
    expect(sheet.rows[0]!.cells.nature).toBeUndefined();
  });
});

describe('afterwards', () => {
  it('leaves the unrelated assessment and the process untouched', async () => {
    await expectNoSharedCorruption();
  });
});
