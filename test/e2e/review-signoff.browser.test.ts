import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { createTestUser, makeApp, PASSWORD } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { closedAssessment, decideAll, SIGN } from '../review/review.helpers';

// Sign-off through the pages in Debian's Chromium: log in as an approver, fill the form on the
// Review tab, and see the stamp change on the assessment's pages.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
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
  await new Promise((r) => server?.close(r));
});

it('an approver signs off on the Review page; every page then says so', async () => {
  const { id, api } = await closedAssessment(app);
  await decideAll(app, api.token, id);
  const approver = await createTestUser('approver');
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', approver.email);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('form[action="/login"] button[type=submit]'),
  ]);

  await page.goto(`${base}/assessments/${id}`);
  expect(await page.textContent('[data-stamp]')).toContain('Provisional — not signed off');
  await Promise.all([
    page.waitForURL(`${base}/assessments/${id}/review`),
    page.click(`nav.tabs a[href="/assessments/${id}/review"]`),
  ]);
  await page.fill('#meetingDate', SIGN.meetingDate);
  await page.fill('#body', SIGN.body);
  await page.fill('#minutesRef', SIGN.minutesRef);
  await page.fill('#comment', SIGN.comment);
  await Promise.all([
    page.waitForURL((u) => u.search.includes('saved=1')),
    page.click('#signoff button[type=submit]'),
  ]);
  const stamp = `Signed off on ${SIGN.meetingDate} by ${SIGN.body}`;
  expect(await page.textContent('[data-stamp]')).toContain(stamp);
  expect(await page.textContent('#signed-title')).toBe('Signed off');
  for (const p of ['', '/rankings', '/audit']) {
    await page.goto(`${base}/assessments/${id}${p}`);
    expect(await page.textContent('[data-stamp]')).toContain(stamp);
  }
  expect(await page.textContent('#audit-log tbody tr:first-child')).toContain('signoff');
  expect(problems).toEqual([]);
  await page.close();
}, 90_000);
