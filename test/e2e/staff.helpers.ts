import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createAssessment, setStatus } from '../../src/assessments/services/assessment.service';
import { markLocked } from '../../src/assessments/services/assessment.store';
import type { SessionUser } from '../../src/auth/roles';
import { generateResponses } from '../../src/demo/synthetic';
import { createTestUser, PASSWORD } from '../helpers/app';

// Shared by the staff-page browser tests: one Chromium, one server, one seeded demo assessment.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WIDTHS = [1280, 1366, 390] as const;

export interface StaffBrowser {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBrowser(app: Express): Promise<StaffBrowser> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
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
  return {
    base,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The xiaomi-2024 demo assessment, opened, with synthetic responses (as `npm run cli -- demo:seed`). */
export async function seedDemo(actor: SessionUser, responses = 2000) {
  const a = await createAssessment(actor, {
    name: '示範評估 2025',
    reportingYear: 2025,
    template: 'xiaomi-2024',
  });
  await setStatus(actor, a._id, { status: 'open' });
  await generateResponses({ ...a, status: 'open' }, { count: responses });
  await markLocked(a._id);
  return a;
}

/** A browser context logged in as a new user of `role`, speaking `lang` (the language cookie). */
export async function staffContext(
  sb: StaffBrowser,
  role: 'admin' | 'analyst' | 'viewer' = 'admin',
): Promise<{ context: BrowserContext; user: SessionUser }> {
  const user = await createTestUser(role);
  const context = await sb.browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${sb.base}/login`);
  await page.fill('#email', user.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('main form button[type=submit]'),
  ]);
  await page.close();
  return { context, user };
}

export const setLang = (context: BrowserContext, base: string, lang: string) =>
  context.addCookies([{ name: 'lang', value: lang, url: base }]);

export async function axeViolations(page: Page) {
  // Evaluated through the DevTools protocol, which the page's CSP (scripts from 'self' only) does not govern.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core'), 'utf8'));
  const result = await page.evaluate<{
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** How far the page scrolls sideways (0 = it fits the viewport). */
export const pageOverflow = (page: Page) =>
  page.evaluate<number>(
    'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth',
  );

/** The outermost elements that stick out of the viewport, outside any scrolling container (for the report). */
export const overflowCulprits = (page: Page) =>
  page.evaluate<string[]>(`(() => {
    const w = window.innerWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.getBoundingClientRect().right <= w + 0.5) continue;
      let p = el.parentElement;
      let contained = false;
      for (; p && p !== document.body; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX !== 'visible') contained = true;
        if (p.getBoundingClientRect().right > w + 0.5) contained = true;
      }
      if (!contained) out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
    }
    return out.slice(0, 5);
  })()`);

/**
 * Latin words a reader sees (text and accessible names) outside user data. User data is marked by
 * the pages themselves (`translate="no"`, `<code>`, `lang="en"` on stored text, form fields' values)
 * and, for codes and the e-mail, passed in `allowed`.
 */
export function latinWords(page: Page, allowed: string[]): Promise<string[]> {
  const script = `(() => {
    const allowed = new Set(${JSON.stringify(allowed.map((w) => w.toLowerCase()))});
    const skip = (el) => el && el.closest('code, script, style, [translate="no"], [lang="en"], [aria-hidden="true"], svg, .visually-hidden-user');
    const words = new Set();
    const add = (text) => {
      // E-mail addresses are user data wherever they appear.
      const found = String(text).replace(/[^\\s()]+@[^\\s()]+/g, ' ').match(/[A-Za-z][A-Za-z']+(?:-[A-Za-z]+)*/g) || [];
      for (const w of found) {
        if (!allowed.has(w.toLowerCase())) words.add(w);
      }
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (skip(el)) continue;
      if (el.closest('select') && !el.closest('option')) continue;
      add(n.textContent);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
      if (skip(el)) continue;
      for (const a of ['aria-label', 'title', 'alt', 'placeholder']) if (el.hasAttribute(a)) add(el.getAttribute(a));
    }
    add(document.title);
    return [...words].sort();
  })()`;
  return page.evaluate<string[]>(script);
}
