import type { Page } from 'playwright-core';
import type { Assessment } from '../../src/assessments/model/assessment.types';
import { createTestUser, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  pageOverflow,
  seedDemo,
  setLang,
  staffContext,
  startBrowser,
  type StaffBrowser,
} from './staff.helpers';

// The rankings table of the demo assessment on a laptop and a phone (issue 20 §2): every column in
// view at 1280 and 1366 px, the code as a second line under the name, the group breakdown as a
// full-width row, Chinese labels never split inside a word, and at 390 px a table that scrolls in
// its own box with the hidden texts inside it.

useTestDb();
const app = makeApp();
let sb: StaffBrowser;
let demo: Assessment;

beforeAll(async () => {
  sb = await startBrowser(app);
  demo = await seedDemo(await createTestUser('analyst'));
}, 120_000);
afterAll(async () => sb?.close());

interface Layout {
  wrapScrolls: boolean;
  viewport: number;
  headings: { text: string; right: number; lines: number }[];
  labels: { text: string; lines: number }[];
  hiddenOutside: number;
  topicLines: { name: number; code: number }[];
}

/** Geometry of the table as the reader sees it: where headings end, how many lines labels take. */
const layout = (page: Page) =>
  page.evaluate<Layout>(`(() => {
    const wrap = document.querySelector('.table-wrap');
    const table = document.getElementById('rankings-table');
    // Lines of visible text in an element: text boxes whose tops differ by more than half a line.
    const lines = (el) => {
      const tops = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest('.visually-hidden, .sub-sort') || !n.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.width > 0) tops.push(r.top);
      }
      tops.sort((a, b) => a - b);
      return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 8).length;
    };
    const headings = [...table.tHead.rows[0].cells].map((th) => ({
      text: th.innerText.trim(),
      right: th.getBoundingClientRect().right,
      lines: lines(th.querySelector('a') || th),
    }));
    const labels = [...table.querySelectorAll(':scope > tbody > tr > td.label')].map((td) => ({ text: td.innerText.trim(), lines: lines(td) }));
    const hiddenOutside = [...wrap.querySelectorAll('.visually-hidden')].filter((el) => !wrap.contains(el.offsetParent)).length;
    const topicLines = [...table.querySelectorAll(':scope > tbody > tr > th.topic')].map((th) => ({
      name: th.querySelector('.topic-name').getBoundingClientRect().bottom,
      code: th.querySelector('.sub').getBoundingClientRect().top,
    }));
    return { wrapScrolls: wrap.scrollWidth > wrap.clientWidth + 1, viewport: window.innerWidth, headings, labels, hiddenOutside, topicLines };
  })()`);

describe.each(['en', 'zh-Hant', 'zh-Hans'] as const)('the rankings table in %s', (lang) => {
  it('shows every column at 1280 and 1366 px, and scrolls in its own box at 390 px', async () => {
    const { context } = await staffContext(sb, 'viewer');
    await setLang(context, sb.base, lang);
    const page = await context.newPage();
    for (const width of [1280, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${sb.base}/assessments/${demo._id}/rankings`);
      const l = await layout(page);
      expect({ width, overflow: await pageOverflow(page), wrapScrolls: l.wrapScrolls }).toEqual({
        width,
        overflow: 0,
        wrapScrolls: false,
      });
      expect(l.headings.filter((h) => h.right > width)).toEqual([]);
      // Chinese headings and all short labels on one line: a Chinese word is never split (English
      // headings may wrap between words).
      if (lang !== 'en') expect(l.headings.filter((h) => h.lines !== 1)).toEqual([]);
      expect(l.labels.filter((c) => c.lines !== 1)).toEqual([]);
      // The code is a second line under the topic name.
      expect(l.topicLines).toHaveLength(demo.topics.length);
      for (const t of l.topicLines) expect(t.code).toBeGreaterThanOrEqual(t.name - 1);
      expect(l.hiddenOutside).toBe(0);
    }

    // The breakdown opens as a row as wide as the table.
    const first = page.locator('#rankings-table > tbody > tr[data-code]').first();
    await first.locator('button.breakdown-toggle').click();
    const code = await first.getAttribute('data-code');
    const row = page.locator(`tr[data-breakdown-of="${code}"]`);
    const [rowBox, tableBox] = await Promise.all([
      row.boundingBox(),
      page.locator('#rankings-table').boundingBox(),
    ]);
    expect(Math.abs(rowBox!.width - tableBox!.width)).toBeLessThan(1);
    expect(await pageOverflow(page)).toBe(0);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${sb.base}/assessments/${demo._id}/rankings`);
    const phone = await layout(page);
    expect(phone.wrapScrolls).toBe(true);
    expect(await pageOverflow(page)).toBe(0);
    expect(phone.hiddenOutside).toBe(0);
    // The scrolling box can be reached by keyboard (app.js names it after the caption).
    expect(await page.locator('.table-wrap[tabindex="0"][role="region"]').count()).toBe(1);
    await context.close();
  }, 120_000);
});
