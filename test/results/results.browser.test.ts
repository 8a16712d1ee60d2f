import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestUser, makeApp, PASSWORD } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { seedAssessment } from './results-fixtures';

// matrix.js and rankings.js in Debian's Chromium under the app's real CSP: the interactive chart
// replaces the server's SVG and shows tooltips; the rankings table sorts in place.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

let server: Server;
let base: string;
let browser: Browser;
let id: string;

beforeAll(async () => {
  // A missing browser fails the run (never a silent skip): scripts/setup-test.sh installs Debian's chromium.
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run npm run test:setup`);
  ({ id } = await seedAssessment(app));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((r) => server.close(r));
});

/** A logged-in page that records console errors (CSP violations show up there) and page errors. */
async function loggedInPage(): Promise<{ page: Page; errors: string[] }> {
  const user = await createTestUser('analyst');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on(
    'response',
    (r) =>
      r.status() >= 400 &&
      !r.url().endsWith('/favicon.ico') &&
      errors.push(`${r.status()} ${r.url()}`),
  );
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/login`);
  await page.fill('#email', user.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('main button[type=submit]'),
  ]);
  return { page, errors };
}

describe('in the browser', () => {
  it('turns the server SVG into an interactive chart with tooltips, without CSP errors', async () => {
    const { page, errors } = await loggedInPage();
    await page.goto(`${base}/assessments/${id}/matrix?lang=zh-Hant`);
    await page.locator('#matrix-chart canvas').first().waitFor();
    expect(await page.locator('#matrix-chart > svg').count()).toBe(0);
    // CLIMATE sits at (4.5, 4). The chart is drawn at the option's own pixel size and scaled to
    // the box, so its grid and axis ranges give the point's place on screen.
    const spec = JSON.parse((await page.locator('#matrix-spec').textContent()) ?? '{}') as {
      chartSize: { width: number };
      grid: { left: number; top: number; width: number; height: number };
      xAxis: { min: number; max: number };
      yAxis: { min: number; max: number };
    };
    const box = (await page.locator('#matrix-chart').boundingBox())!;
    const k = box.width / spec.chartSize.width;
    const g = spec.grid;
    const gx = g.left + ((4.5 - spec.xAxis.min) / (spec.xAxis.max - spec.xAxis.min)) * g.width;
    const gy =
      g.top + g.height - ((4 - spec.yAxis.min) / (spec.yAxis.max - spec.yAxis.min)) * g.height;
    await page.mouse.move(box.x + gx * k, box.y + gy * k);
    const tip = page.locator('#matrix-chart div').filter({ hasText: 'CLIMATE' }).last();
    await tip.first().waitFor({ timeout: 5000 });
    const text = await tip.first().innerText();
    expect(text).toContain('4.50');
    expect(text).toContain('雙重重要');
    expect(errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    await page.close();
  });

  it('sorts the rankings table in place and keeps aria-sort in step', async () => {
    const { page, errors } = await loggedInPage();
    await page.goto(`${base}/assessments/${id}/rankings?lang=en`);
    const codes = async () =>
      Promise.all(
        (await page.locator('#rankings-table > tbody > tr[data-code]').all()).map((r) =>
          r.getAttribute('data-code'),
        ),
      );
    expect(await codes()).toEqual(['ETHICS', 'CLIMATE', 'LABOUR', 'WATER']);
    await page.click('#rankings-table thead a[data-sort="code"]');
    expect(await codes()).toEqual(['CLIMATE', 'ETHICS', 'LABOUR', 'WATER']);
    expect(page.url()).toContain('sort=code&dir=asc');
    expect(await page.locator('#rankings-table thead th[aria-sort]').count()).toBe(1);
    // The code is the topic heading's second sort: that heading is the sorted one.
    expect(
      await page
        .locator('#rankings-table thead th[aria-sort="ascending"] a')
        .first()
        .getAttribute('data-sort'),
    ).toBe('name');
    expect(await page.locator('#rankings-sort-status').innerText()).toBe(
      'sorted by Code, ascending',
    );
    await page.click('#rankings-table thead a[data-sort="code"]');
    expect(await codes()).toEqual(['WATER', 'LABOUR', 'ETHICS', 'CLIMATE']);
    await page.click('#rankings-table thead a[data-sort="impact"]');
    expect(await codes()).toEqual(['CLIMATE', 'LABOUR', 'ETHICS', 'WATER']);
    expect(await page.locator('#rankings-sort-status').innerText()).toBe(
      'sorted by Impact score, descending',
    );
    // Each topic's breakdown row moved with it, and opens as a full-width row.
    const pairs = await page.$$eval('#rankings-table > tbody > tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-code') ?? `+${tr.getAttribute('data-breakdown-of')}`),
    );
    expect(pairs).toEqual([
      'CLIMATE',
      '+CLIMATE',
      'LABOUR',
      '+LABOUR',
      'ETHICS',
      '+ETHICS',
      'WATER',
      '+WATER',
    ]);
    const toggle = page.locator('tr[data-code="LABOUR"] button.breakdown-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const row = page.locator('tr[data-breakdown-of="LABOUR"]');
    expect(await row.isVisible()).toBe(true);
    const [rowBox, tableBox] = await Promise.all([
      row.boundingBox(),
      page.locator('#rankings-table').boundingBox(),
    ]);
    expect(Math.round(rowBox!.width)).toBe(Math.round(tableBox!.width));
    expect(await row.innerText()).toContain('Impact: Labour practices by stakeholder group');
    await toggle.click();
    expect(await row.isVisible()).toBe(false);
    expect(errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    await page.close();
  });
});
