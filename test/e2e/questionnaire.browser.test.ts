import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { apiClient } from '../helpers/api';
import { makeApp } from '../helpers/app';
import { storedResponses, useTestDb } from '../helpers/db';
import { staff } from '../assessments/pages.helpers';

// The questionnaire in Debian's Chromium on a phone-sized viewport: with JavaScript (autosave under
// the real CSP, keyboard and clicks, axe-core) and without it (plain form posts).

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

async function openSurvey(group: string, kind: 'personal' | 'open') {
  const api = await apiClient(app, 'analyst');
  const created = await api.post('/api/v1/assessments', {
    name: 'DMA 2025',
    reportingYear: 2025,
    template: 'xiaomi-2024',
  });
  const id = created.body.id as string;
  await api.post(`/api/v1/assessments/${id}/status`, { status: 'open' });
  const [link] = (
    await api.post(`/api/v1/assessments/${id}/invitations`, { group, kind, count: 1 })
  ).body;
  return { id, token: link.token as string };
}

const responsesOf = (id: string) => storedResponses(id);
const draftsOf = (id: string) =>
  mongoose.connection.collection('drafts').find({ assessmentId: id }).toArray();

/** The radio group names (field keys) on the current page. */
const fieldsOn = (page: Page) =>
  page.$$eval('input[type=radio][value="1"]', (els) =>
    els.map((e) => String(e.getAttribute('name'))),
  );
const idOf = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '-');

/** Problems the page reports: CSP violations and script errors show up on the console. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

async function axeViolations(page: Page) {
  // Evaluated through the DevTools protocol, which the page's CSP (scripts from 'self' only) does not govern.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core'), 'utf8'));
  // A string expression: the test compiles without the DOM library.
  const result = await page.evaluate<{
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

const noHorizontalScroll = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

/** Retries `read` until it returns `want` (background saves finish a moment after the page shows them). */
async function eventually<T>(read: () => Promise<T>, want: T, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  let got = await read();
  while (got !== want && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    got = await read();
  }
  return got;
}

describe('questionnaire in a browser', () => {
  let context: BrowserContext;
  afterEach(async () => context?.close());

  it('is filled on a phone with keyboard and clicks, autosaves, passes axe, and stores the response', async () => {
    const { id, token } = await openSurvey('users', 'personal');
    context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    const problems = watchConsole(page);

    await page.goto(`${base}/s/${token}`);
    expect(await page.textContent('h1')).toBe('DMA 2025');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('button:has-text("Start")');
    await page.waitForURL(/\?page=1$/);
    expect(await page.textContent('.survey-progress label')).toContain('Page 1 of 4');
    expect(await axeViolations(page)).toEqual([]);
    expect(await noHorizontalScroll(page)).toBe(true);

    // Page 1 by keyboard: Space picks the first value of a group, the arrow keys move along the scale.
    const expected: Record<string, number | null> = {};
    for (const key of await fieldsOn(page)) {
      await page.focus(`#${idOf(key)}`);
      await page.keyboard.press('Space');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      expected[key] = 4;
    }
    // Each change was saved in the background, under the real CSP.
    await page.waitForSelector('[data-autosave-status]:has-text("All answers saved.")');
    expect(
      await eventually(async () => Object.keys((await draftsOf(id))[0]?.values ?? {}).length, 6),
    ).toBe(6);
    await page.click('button[name=nav][value=next]');
    await page.waitForURL(/\?page=2$/);

    // Pages 2 and 3 by tapping the labels; one "don't know".
    for (const n of [2, 3]) {
      const keys = await fieldsOn(page);
      for (const [i, key] of keys.entries()) {
        const dk = n === 3 && i === 0;
        await page.click(`label[for="${idOf(key)}-${dk ? 'dk' : '2'}"]`);
        expected[key] = dk ? null : 2;
      }
      await page.click('button[name=nav][value=next]');
      await page.waitForURL(n === 2 ? /\?page=3$/ : /\/review$/);
    }

    expect(await page.textContent('h1')).toBe('Check your answers');
    expect(await page.textContent('main')).toContain('You have answered 18 of 18 questions');
    expect(await axeViolations(page)).toEqual([]);
    await page.focus('button:has-text("Submit my answers")');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/thanks/);
    expect(await page.textContent('h1')).toBe('Thank you');
    expect(problems).toEqual([]);

    const stored = await responsesOf(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.userAgentClass).toBe('desktop');
    const got = Object.fromEntries(
      stored[0]!.answers.map(
        (a: { instrument: string; topic: string; significance: number | null }) => [
          `${a.instrument}:${a.topic}:significance`,
          a.significance,
        ],
      ),
    );
    expect(got).toEqual(expected);
  });

  it('works with JavaScript disabled, including a language switch mid-way', async () => {
    const { id, token } = await openSurvey('management', 'open');
    context = await browser.newContext({
      viewport: PHONE,
      locale: 'en-GB',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();

    await page.goto(`${base}/s/${token}`);
    await page.click('button:has-text("Start")');
    await page.waitForURL(/\?page=1$/);
    for (const key of await fieldsOn(page)) await page.click(`label[for="${idOf(key)}-3"]`);
    // The switch is a button of the form: the page's answers travel with it.
    await page.click('button[name=switchLang][value=zh-Hant]');
    await page.waitForURL(/\?page=1&lang=zh-Hant$/);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-Hant');
    expect(await page.$$eval('input[type=radio]:checked', (els) => els.length)).toBe(12);

    for (;;) {
      await page.click('button[name=nav][value=next]');
      await page.waitForLoadState();
      if (page.url().endsWith('/review')) break;
      for (const key of await fieldsOn(page)) await page.click(`label[for="${idOf(key)}-5"]`);
    }
    expect(await page.textContent('h1')).toBe('檢查你的答案');
    await page.click('button:has-text("提交答案")');
    await page.waitForURL(/\/thanks/);
    expect(await page.textContent('h1')).toBe('謝謝');

    const stored = await responsesOf(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.lang).toBe('zh-Hant');
    expect(stored[0]!.answers).toHaveLength(18);
    expect(
      stored[0]!.answers
        .slice(0, 6)
        .every(
          (a: { magnitude: number; likelihood: number }) => a.magnitude === 3 && a.likelihood === 3,
        ),
    ).toBe(true);
    expect(
      stored[0]!.answers
        .slice(6)
        .every(
          (a: { magnitude: number; likelihood: number }) => a.magnitude === 5 && a.likelihood === 5,
        ),
    ).toBe(true);
  });

  it('shows the organisation name and logo in the header on a phone, passing axe', async () => {
    const { id, token } = await openSurvey('users', 'personal');
    const analyst = await staff(app, 'analyst');
    // A 1×1 PNG, shown scaled by the stylesheet.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const set = await analyst.agent
      .post(`/assessments/${id}/settings/branding`)
      .field('_csrf', analyst.csrf)
      .field('orgName_en', 'Hong Kong Sustainable Harbour Holdings Limited')
      .field('orgName_zh-Hant', '香港永續海港控股有限公司')
      .attach('file', png, 'logo.png');
    expect(set.status).toBe(303);

    context = await browser.newContext({ viewport: PHONE, locale: 'zh-HK' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${base}/s/${token}?lang=zh-Hant`);
    expect(await page.textContent('.site-header .org-name')).toBe('香港永續海港控股有限公司');
    expect(await page.getAttribute('.site-header img.org-logo', 'alt')).toBe(
      '香港永續海港控股有限公司標誌',
    );
    // The logo loaded under the page's CSP.
    expect(
      await page.$eval(
        '.site-header img.org-logo',
        (img) => (img as { naturalWidth: number }).naturalWidth,
      ),
    ).toBe(1);
    expect(await page.title()).toContain('香港永續海港控股有限公司');
    expect(await axeViolations(page)).toEqual([]);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.goto(`${base}/s/${token}?lang=en`);
    expect(await page.textContent('.site-header .org-name')).toBe(
      'Hong Kong Sustainable Harbour Holdings Limited',
    );
    expect(await noHorizontalScroll(page)).toBe(true);
    expect(problems).toEqual([]);
  });
});
