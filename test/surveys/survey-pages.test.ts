import mongoose from 'mongoose';
import request from 'supertest';
import { revokeLink } from '../../src/surveys/link.service';
import { getStats } from '../../src/surveys/stats.service';
import { apiClient } from '../helpers/api';
import { csrfFrom, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';

// The questionnaire pages at /s/:token driven as a browser without JavaScript would: plain form
// posts page by page, each with the CSRF token of the page it came from.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

type Agent = ReturnType<typeof request.agent>;
type Api = Awaited<ReturnType<typeof apiClient>>;

const db = () => mongoose.connection;
const responsesOf = (id: string) => db().collection('responses').find({ assessmentId: id }).toArray();
const draftsOf = (id: string) => db().collection('drafts').find({ assessmentId: id }).toArray();

interface Setup {
  group?: string;
  kind?: 'personal' | 'open';
  count?: number;
  before?: (api: Api, id: string) => Promise<void>;
  open?: boolean;
}

async function survey({ group = 'users', kind = 'personal', count = 1, before, open = true }: Setup = {}) {
  const api = await apiClient(app, 'analyst');
  const created = await api.post('/api/v1/assessments', { name: 'DMA 2025', reportingYear: 2025, template: 'xiaomi-2024' });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (before) await before(api, id);
  if (open) expect((await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' })).status).toBe(200);
  const inv = await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind, count });
  expect(inv.status).toBe(201);
  return { api, id, tokens: (inv.body as { token: string }[]).map((l) => l.token) };
}

/** The radio groups (field keys) of a questionnaire page, in page order. */
const fieldsOf = (html: string) => [...new Set([...html.matchAll(/name="((?:impact|financial):[^"]+)"/g)].map((m) => m[1]))];
const checkedOf = (html: string) => Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]+)" checked/g)].map((m) => [m[1], m[2]]));
const pageOf = (location: string) => Number(/[?&]page=(\d+)/.exec(location)?.[1]);
const idOf = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '-');

/** Intro → Start (posting the intro form's fields, as a browser does); returns where Start led. */
async function startSurvey(agent: Agent, token: string, headers: Record<string, string> = { 'Accept-Language': 'en' }) {
  const intro = await agent.get(`/s/${token}`).set(headers);
  expect(intro.status).toBe(200);
  const lang = /name="lang" value="([^"]+)"/.exec(intro.text)?.[1];
  const res = await agent.post(`/s/${token}/start`).type('form').send({ _csrf: csrfFrom(intro.text), lang });
  expect(res.status).toBe(303);
  return res.headers.location as string;
}

/** Answers one page: every field `pick` returns a value for; returns the POST's response. */
async function answerPage(agent: Agent, token: string, n: number, pick: (key: string) => string | undefined, extra: Record<string, string> = { nav: 'next' }) {
  const page = await agent.get(`/s/${token}?page=${n}`);
  expect(page.status).toBe(200);
  const body: Record<string, string> = { _csrf: csrfFrom(page.text), page: String(n), ...extra };
  for (const key of fieldsOf(page.text)) {
    const v = pick(key);
    if (v !== undefined) body[key] = v;
  }
  const res = await agent.post(`/s/${token}`).type('form').send(body);
  expect(res.status).toBe(303);
  return { page, res, fields: fieldsOf(page.text) };
}

/** Answers every page from `location` on, then returns the review page (for its CSRF token). */
async function answerAll(agent: Agent, token: string, location: string, pick: (key: string) => string | undefined) {
  const answered: Record<string, string> = {};
  while (/[?&]page=\d+/.test(location)) {
    const { res, fields } = await answerPage(agent, token, pageOf(location), (k) => {
      const v = pick(k);
      if (v !== undefined) answered[k] = v;
      return v;
    });
    expect(fields.length).toBeGreaterThan(0);
    location = res.headers.location;
  }
  expect(location).toBe(`/s/${token}/review`);
  const review = await agent.get(location);
  expect(review.status).toBe(200);
  return { review, answered };
}

const submit = (agent: Agent, token: string, csrf: string) => agent.post(`/s/${token}/submit`).set('Accept-Language', 'en').type('form').send({ _csrf: csrf });

/** A deterministic answer per field: "dk" for every seventh, else 1..5. */
function patterned() {
  let i = 0;
  const values = new Map<string, string>();
  return (key: string) => {
    if (!values.has(key)) values.set(key, i % 7 === 0 ? 'dk' : String((i % 5) + 1)), i++;
    return values.get(key);
  };
}

async function completeSurvey(agent: Agent, token: string, pick: (key: string) => string | undefined = () => '4') {
  return completeSurveyFrom(agent, token, await startSurvey(agent, token), pick);
}

async function completeSurveyFrom(agent: Agent, token: string, location: string, pick: (key: string) => string | undefined = () => '4') {
  const { review, answered } = await answerAll(agent, token, location, pick);
  const res = await submit(agent, token, csrfFrom(review.text));
  expect(res.status).toBe(303);
  return { res, answered };
}

describe('questionnaire pages without JavaScript', () => {
  it('walks intro → pages → review → thanks and stores exactly one response with the answers given', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);

    const intro = await agent.get(`/s/${token}`).set('Accept-Language', 'en');
    expect(intro.status).toBe(200);
    expect(intro.text).toContain('<html lang="en">');
    expect(intro.text).toContain('DMA 2025');
    expect(intro.text).toContain('You are answering as: Users');
    expect(intro.text).toContain('Thank you for taking part'); // settings.intro
    expect(intro.text).toContain('We do not store your IP address'); // settings.privacy
    expect(intro.text).toContain('>Start<');
    expect(intro.text).not.toContain('/logout'); // no staff navigation

    const first = await agent.post(`/s/${token}/start`).type('form').send({ _csrf: csrfFrom(intro.text), lang: 'en' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/s/${token}?page=1`);

    const page1 = await agent.get(first.headers.location);
    expect(page1.status).toBe(200);
    expect(page1.text).toContain("How significant is the company&#39;s impact on people and the environment for each topic?");
    expect(page1.text).toContain('Page 1 of 4'); // 18 topics: 3 pages of 6, then the review
    expect(page1.text).toMatch(/<progress id="survey-progress" max="4" value="1">/);
    expect(page1.text).toContain('<label for="survey-progress">');
    expect(page1.text.match(/<fieldset class="topic"/g)).toHaveLength(6);
    expect(page1.text).toContain('Product and service quality');
    expect(page1.text).toContain('The quality, safety and reliability of products'); // definition
    expect(page1.text).toContain('Not significant');
    expect(page1.text).toContain('Very significant');
    expect(page1.text).toContain('value="dk"');
    expect(page1.text).toContain('name="switchLang" value="zh-Hant"');
    expect(page1.text).not.toMatch(/<script>|style="/); // CSP: no inline scripts or styles
    expect(page1.text).toContain('<script src="/static/js/survey.js" defer>');

    const pick = patterned();
    const { review, answered } = await answerAll(agent, token, first.headers.location, pick);
    expect(Object.keys(answered)).toHaveLength(18);
    expect(review.text).toContain('Check your answers');
    expect(review.text).toContain('You have answered 18 of 18 questions');
    expect(review.text).not.toContain('Not answered');

    const done = await submit(agent, token, csrfFrom(review.text));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/s/${token}/thanks?lang=en`);
    const thanks = await agent.get(done.headers.location);
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Your answers have been submitted');

    const stored = await responsesOf(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ group: 'users', kind: 'personal', lang: 'en' });
    expect(stored[0].durationMs).toEqual(expect.any(Number));
    expect(stored[0].answers).toHaveLength(18);
    for (const a of stored[0].answers) {
      const v = answered[`impact:${a.topic}:significance`];
      expect(a.significance).toBe(v === 'dk' ? null : Number(v));
    }
    expect(await draftsOf(id)).toHaveLength(0);
  });

  it('stores "don\'t know" as null, never as a number', async () => {
    const { id, tokens } = await survey({ group: 'management' }); // financial: magnitude and likelihood
    const agent = request.agent(app);
    await completeSurvey(agent, tokens[0], (key) => (key.endsWith(':likelihood') ? 'dk' : '5'));
    const [stored] = await responsesOf(id);
    expect(stored.answers).toHaveLength(18);
    for (const a of stored.answers) expect(a).toEqual({ instrument: 'financial', topic: expect.any(String), magnitude: 5, likelihood: null });
    const stats = await getStats(id);
    expect(stats.tallies['product-quality'].financial.management).toMatchObject({ n: 0, dontKnow: 1 });
  });

  it('labels the financial criteria and the likelihood end points', async () => {
    const { tokens } = await survey({ group: 'management' });
    const agent = request.agent(app);
    await startSurvey(agent, tokens[0]);
    const page = await agent.get(`/s/${tokens[0]}?page=1`).set('Accept-Language', 'en');
    expect(page.text).toContain('How large and how likely are the financial effects of each topic on the company?');
    expect(page.text).toContain('Magnitude');
    expect(page.text).toContain('Likelihood');
    expect(page.text).toContain('Very unlikely');
    expect(page.text).toContain('Almost certain');
    // One fieldset per topic, and one per criterion inside it.
    expect(page.text.match(/<fieldset class="topic"/g)).toHaveLength(6);
    expect(page.text.match(/<fieldset class="criterion"/g)).toHaveLength(12);
  });

  it('gives a group that takes both instruments the impact pages, then the financial pages', async () => {
    const { id, tokens } = await survey({
      group: 'board',
      before: async (api, id) => {
        const g = await api.post(`/api/v1/assessments/${id}/groups`, { code: 'board', name: { en: 'Board' }, kind: 'internal', weight: 1, instruments: ['impact', 'financial'] });
        expect(g.status).toBe(201);
      },
    });
    const agent = request.agent(app);
    const location = await startSurvey(agent, tokens[0]);
    const page4 = await agent.get(`/s/${tokens[0]}?page=4`);
    expect(page4.text).toContain('Page 4 of 7');
    expect(page4.text).toContain('Part 2 of 2');
    expect(page4.text).toContain('How large and how likely are the financial effects');
    expect(fieldsOf(page4.text)[0]).toBe('financial:tech-inclusion:magnitude');
    await completeSurveyFrom(agent, tokens[0], location);
    const [stored] = await responsesOf(id);
    expect(stored.answers).toHaveLength(36);
    expect(stored.answers[18]).toEqual({ instrument: 'financial', topic: 'tech-inclusion', magnitude: 4, likelihood: 4 });
  });
});

describe('autosave and resume', () => {
  it('resumes a personal link anywhere: a new browser sees the answers and lands on the first open page', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const first = request.agent(app);
    const location = await startSurvey(first, token);
    const { fields } = await answerPage(first, token, pageOf(location), (k) => (k.includes('product-quality') ? 'dk' : '2'));
    expect(await draftsOf(id)).toHaveLength(1);

    const other = request.agent(app); // no cookies at all
    const back = await other.get(`/s/${token}`);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`/s/${token}?page=2`);
    const page1 = await other.get(`/s/${token}?page=1`);
    const checked = checkedOf(page1.text);
    expect(Object.keys(checked).sort()).toEqual([...fields].sort());
    expect(checked['impact:product-quality:significance']).toBe('dk');
    expect(checked['impact:tech-inclusion:significance']).toBe('2');

    // The other browser finishes; the response holds the first browser's answers too.
    const { review } = await answerAll(other, token, back.headers.location, () => '5');
    expect((await submit(other, token, csrfFrom(review.text))).status).toBe(303);
    const [stored] = await responsesOf(id);
    const byTopic = Object.fromEntries(stored.answers.map((a: { topic: string; significance: number | null }) => [a.topic, a.significance]));
    expect(byTopic['product-quality']).toBeNull();
    expect(byTopic['tech-inclusion']).toBe(2);
    expect(byTopic['stakeholder-engagement']).toBe(5);
  });

  it('resumes an open link in the same browser only', async () => {
    const { tokens } = await survey({ kind: 'open' });
    const [token] = tokens;
    const mine = request.agent(app);
    await startSurvey(mine, token);
    await answerPage(mine, token, 1, () => '3');

    const again = await mine.get(`/s/${token}`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/s/${token}?page=2`);
    expect(Object.values(checkedOf((await mine.get(`/s/${token}?page=1`)).text))).toEqual(Array(6).fill('3'));

    const someoneElse = request.agent(app);
    const intro = await someoneElse.get(`/s/${token}`).set('Accept-Language', 'en');
    expect(intro.status).toBe(200);
    expect(intro.text).toContain('>Start<');
    expect(checkedOf((await someoneElse.get(`/s/${token}?page=1`)).text)).toEqual({});
  });

  it('lands on the review page when everything is answered, and Back keeps the answers', async () => {
    const { tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    await answerAll(agent, token, await startSurvey(agent, token), () => '1');
    expect((await agent.get(`/s/${token}`)).headers.location).toBe(`/s/${token}/review`);
    const { res } = await answerPage(agent, token, 2, () => undefined, { nav: 'back' });
    expect(res.headers.location).toBe(`/s/${token}?page=1`);
    expect(Object.values(checkedOf((await agent.get(`/s/${token}?page=2`)).text))).toEqual(Array(6).fill('1'));
    const intro = await answerPage(agent, token, 1, () => undefined, { nav: 'back' });
    expect(intro.res.headers.location).toBe(`/s/${token}?page=0`);
    const introPage = await agent.get(intro.res.headers.location);
    expect(introPage.status).toBe(200);
    expect(introPage.text).toContain('Continue where you left off');
  });

  it('saves single answers posted as JSON by the script, with the CSRF header, and ignores unknown keys', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    await startSurvey(agent, token);
    const csrf = csrfFrom((await agent.get(`/s/${token}?page=1`)).text);
    const body = { values: { 'impact:climate:significance': '4', 'impact:waste:significance': 'dk', 'impact:nope:significance': '3', 'a.b': '1', $where: '1', 'impact:governance:significance': '9' } };
    const refused = await agent.post(`/s/${token}/autosave`).set('Accept', 'application/json').send(body);
    expect(refused.status).toBe(403);
    const res = await agent.post(`/s/${token}/autosave`).set('Accept', 'application/json').set('x-csrf-token', csrf).send(body);
    expect(res.status).toBe(200);
    expect(res.body.saved).toBe(2);
    const [draft] = await draftsOf(id);
    expect(draft.values).toEqual({ 'impact:climate:significance': '4', 'impact:waste:significance': 'dk' });
    const page = await agent.get(`/s/${token}?page=1`);
    expect(checkedOf(page.text)).toEqual({ 'impact:climate:significance': '4' });
  });
});

describe('submission', () => {
  it('accepts several submissions through an open link', async () => {
    const { id, tokens } = await survey({ kind: 'open' });
    const [token] = tokens;
    const one = request.agent(app);
    await completeSurvey(one, token, () => '2');
    await completeSurvey(one, token, () => '3'); // the same browser again: a fresh start
    await completeSurvey(request.agent(app), token, () => '4');
    const stored = await responsesOf(id);
    expect(stored).toHaveLength(3);
    expect(stored.map((r) => r.answers[0].significance).sort()).toEqual([2, 3, 4]);
    expect(stored.every((r) => r.kind === 'open')).toBe(true);
  });

  it('re-renders the review page with 422 and a linked error summary when answers are missing, storing nothing', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    const location = await startSurvey(agent, token);
    await answerPage(agent, token, pageOf(location), () => '3');
    // Page 2: everything but its second topic.
    const { fields } = await answerPage(agent, token, 2, (k) => (k.includes(':waste:') ? undefined : '4'));
    expect(fields[1]).toBe('impact:waste:significance');

    const review = await agent.get(`/s/${token}/review`);
    expect(review.text).toContain('Not answered');
    const res = await submit(agent, token, csrfFrom(review.text));
    expect(res.status).toBe(422);
    expect(res.text).toContain('class="error-summary"');
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain(`href="/s/${token}?page=2#impact-waste-significance">Waste management – Significance</a>`);
    expect(res.text).toContain(`href="/s/${token}?page=3#${idOf('impact:stakeholder-engagement:significance')}"`);
    expect(res.text.match(/<li><a href="\/s\//g)).toHaveLength(1 + 6); // waste, and all of page 3
    expect(await responsesOf(id)).toHaveLength(0);
    expect(await draftsOf(id)).toHaveLength(1);

    // The link lands on the field: the first radio of the group carries the field's id.
    const page2 = await agent.get(`/s/${token}?page=2`);
    expect(page2.text).toContain('id="impact-waste-significance" name="impact:waste:significance" value="1"');
  });

  it('accepts one submission per personal link: a second attempt shows "already submitted" and changes nothing', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    const location = await startSurvey(agent, token);
    const { review } = await answerAll(agent, token, location, () => '4');
    const csrf = csrfFrom(review.text);
    expect((await submit(agent, token, csrf)).status).toBe(303);

    const again = await submit(agent, token, csrf);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Already submitted');
    expect(again.text).toContain('has already been submitted with this link');
    for (const path of [`/s/${token}`, `/s/${token}?page=1`, `/s/${token}/review`]) {
      const page = await request(app).get(path).set('Accept-Language', 'en');
      expect(page.status).toBe(200);
      expect(page.text).toContain('has already been submitted with this link');
    }
    const blocked = await request.agent(app).get(`/s/${token}`);
    expect(blocked.text).not.toContain('name="_csrf"'); // no form to fill in again
    expect(await responsesOf(id)).toHaveLength(1);
    expect(await draftsOf(id)).toHaveLength(0);
    expect((await getStats(id)).responses.total).toBe(1);
  });

  it('stores exactly one response when two final POSTs race', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    const { review } = await answerAll(agent, token, await startSurvey(agent, token), () => '5');
    const csrf = csrfFrom(review.text);
    const results = await Promise.all([submit(agent, token, csrf), submit(agent, token, csrf)]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await responsesOf(id)).toHaveLength(1);
    expect((await getStats(id)).responses.total).toBe(1);
  });

  it('limits submissions through an open link per minute', async () => {
    const limited = makeApp({ SUBMIT_MAX_PER_MINUTE: '1' });
    const { id, tokens } = await survey({ kind: 'open' });
    const agent = request.agent(limited);
    const location = await startSurvey(agent, tokens[0]);
    const { review } = await answerAll(agent, tokens[0], location, () => '3');
    expect((await submit(agent, tokens[0], csrfFrom(review.text))).status).toBe(303);
    const { review: second } = await answerAll(agent, tokens[0], await startSurvey(agent, tokens[0]), () => '3');
    const res = await submit(agent, tokens[0], csrfFrom(second.text));
    expect(res.status).toBe(429);
    expect(res.text).toContain('Too many submissions from this device');
    expect(await responsesOf(id)).toHaveLength(1);
  });

  it('refuses a page post without the CSRF token', async () => {
    const { id, tokens } = await survey();
    const agent = request.agent(app);
    await agent.get(`/s/${tokens[0]}`);
    const res = await agent.post(`/s/${tokens[0]}`).type('form').send({ page: '1', 'impact:climate:significance': '3' });
    expect(res.status).toBe(403);
    expect(await draftsOf(id)).toHaveLength(0);
  });
});

describe('link states', () => {
  it('shows a friendly "closed" page (403) for a closed or draft assessment', async () => {
    const closed = await survey();
    const agent = request.agent(app);
    const intro = await agent.get(`/s/${closed.tokens[0]}`).set('Accept-Language', 'en');
    expect((await closed.api.post(`/api/v1/assessments/${closed.id}/status`, { status: 'closed' })).status).toBe(200);
    for (const path of ['', '?page=1', '/review']) {
      const res = await agent.get(`/s/${closed.tokens[0]}${path}`).set('Accept-Language', 'en');
      expect(res.status).toBe(403);
      expect(res.text).toContain('This survey is closed');
      expect(res.text).toContain('not open at the moment');
    }
    expect((await submit(agent, closed.tokens[0], csrfFrom(intro.text))).status).toBe(403);

    const draft = await survey({ open: false });
    const res = await request(app).get(`/s/${draft.tokens[0]}`).set('Accept-Language', 'zh-HK');
    expect(res.status).toBe(403);
    expect(res.text).toContain('此問卷已關閉');
    expect(await responsesOf(closed.id)).toHaveLength(0);
  });

  it('shows a readable 404 page for an unknown or revoked token', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'x', 'not a token']) {
      const res = await request(app).get(`/s/${encodeURIComponent(token)}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Survey link not valid');
      expect(res.text).toContain('This survey link is not valid');
    }
    const { api, id, tokens } = await survey();
    await revokeLink(api.user, id, tokens[0]);
    const revoked = await request(app).get(`/s/${tokens[0]}`);
    expect(revoked.status).toBe(404);
    expect(revoked.text).toContain('This survey link is not valid');
  });

  it('counts the first opening of a personal link once', async () => {
    const { id, tokens } = await survey();
    await request(app).get(`/s/${tokens[0]}`);
    await request(app).get(`/s/${tokens[0]}`);
    await request(app).get(`/s/${tokens[0]}?page=1`);
    expect((await getStats(id)).links.users.opened).toBe(1);
    const link = await db().collection('links').findOne({ _id: tokens[0] as never });
    expect(link?.opens).toBe(2);
  });
});

describe('languages', () => {
  it.each([
    ['zh-HK', 'zh-Hant', ['持份者', '用戶', '開始', '私隱聲明'], ['產品與服務質量', '第 1 頁，共 4 頁', '重大程度', '並不重大', '不知道']],
    ['zh-CN', 'zh-Hans', ['利益相关方', '用户', '开始', '隐私声明'], ['产品与服务质量', '第 1 页，共 4 页', '重大程度', '并不重大', '不知道']],
    ['en-GB', 'en', ['Users', 'Start', 'Privacy notice'], ['Product and service quality', 'Page 1 of 4', 'Significance', 'Not significant', "Don&#39;t know"]],
  ])('renders the intro and a topic page in the language of %s', async (header, lang, introStrings, pageStrings) => {
    const { tokens } = await survey();
    const agent = request.agent(app);
    const intro = await agent.get(`/s/${tokens[0]}`).set('Accept-Language', header);
    expect(intro.text).toContain(`<html lang="${lang}">`);
    for (const s of introStrings) expect(intro.text).toContain(s);
    const page = await agent.get(`/s/${tokens[0]}?page=1`).set('Accept-Language', header);
    expect(page.text).toContain(`<html lang="${lang}">`);
    for (const s of pageStrings) expect(page.text).toContain(s);
  });

  it('keeps the answers when the language is switched mid-questionnaire, and remembers the choice', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    await startSurvey(agent, token, { 'Accept-Language': 'en' });
    const { res } = await answerPage(agent, token, 1, () => '2', { switchLang: 'zh-Hans' });
    expect(res.headers.location).toBe(`/s/${token}?page=1&lang=zh-Hans`);
    const switched = await agent.get(res.headers.location);
    expect(switched.text).toContain('<html lang="zh-Hans">');
    expect(switched.text).toContain('就每项议题而言');
    expect(Object.values(checkedOf(switched.text))).toEqual(Array(6).fill('2'));

    // Another browser resumes the personal link in the remembered language.
    const elsewhere = await request(app).get(`/s/${token}?page=1`).set('Accept-Language', 'en');
    expect(elsewhere.text).toContain('<html lang="zh-Hans">');

    const { review } = await answerAll(agent, token, `/s/${token}?page=2`, () => '2');
    expect(review.text).toContain('<html lang="zh-Hans">');
    expect((await submit(agent, token, csrfFrom(review.text))).status).toBe(303);
    const [stored] = await responsesOf(id);
    expect(stored.lang).toBe('zh-Hans');
    expect(stored.answers.every((a: { significance: number }) => a.significance === 2)).toBe(true);
  });

  it('marks topics shown in English because the translation is missing', async () => {
    const { tokens } = await survey({
      before: async (api, id) => {
        const t = await api.post(`/api/v1/assessments/${id}/topics`, { code: 'water', name: { en: 'Water stewardship' }, description: { en: 'Use of water.' }, category: 'E' });
        expect(t.status).toBe(201);
      },
    });
    const agent = request.agent(app);
    await startSurvey(agent, tokens[0], { 'Accept-Language': 'zh-HK' });
    // 19 topics: four balanced pages (5, 5, 5, 4); the new topic is last.
    const page = await agent.get(`/s/${tokens[0]}?page=4`);
    expect(page.text).toContain('第 4 頁，共 5 頁');
    expect(page.text.match(/<fieldset class="topic"/g)).toHaveLength(4);
    expect(page.text).toContain('<span lang="en">Water stewardship</span>');
    expect(page.text).toContain('lang="en">Use of water.</p>');
    expect(page.text.match(/class="missing-translation">只有英文版本</g)).toHaveLength(1);
    const en = await agent.get(`/s/${tokens[0]}?page=4&lang=en`);
    expect(en.text).not.toContain('missing-translation');
  });
});
