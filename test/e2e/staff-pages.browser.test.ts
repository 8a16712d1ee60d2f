import type { Page } from 'playwright-core';
import type { Assessment } from '../../src/assessments/model/assessment.types';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  axeViolations,
  latinWords,
  overflowCulprits,
  pageOverflow,
  seedDemo,
  setLang,
  staffContext,
  startBrowser,
  WIDTHS,
  type StaffBrowser,
} from './staff.helpers';

// Every staff page of a demo assessment (2,000 synthetic responses) in Debian's Chromium at laptop
// and phone widths: no sideways scrolling of the page, axe without serious or critical findings,
// and no English on the Chinese pages outside what users typed (names, codes, e-mail).

useTestDb();
const app = makeApp();
let sb: StaffBrowser;
let demo: Assessment;

beforeAll(async () => {
  sb = await startBrowser(app);
  const { createTestUser } = await import('../helpers/app');
  demo = await seedDemo(await createTestUser('analyst'));
}, 120_000);

afterAll(async () => sb?.close());

function staffPages(a: Assessment): string[] {
  const base = `/assessments/${a._id}`;
  return [
    '/assessments',
    base,
    `${base}/status?to=closed`,
    `${base}/topics`,
    `${base}/topics/${a.topics[0]!.code}`,
    `${base}/groups`,
    `${base}/groups/${a.groups[0]!.code}`,
    `${base}/invitations`,
    `${base}/preview`,
    `${base}/matrix`,
    `${base}/rankings`,
    `${base}/exports`,
    `${base}/settings`,
    '/account',
    '/admin/users',
  ];
}

/** Codes and names typed by users, which may be Latin on any page; plus technical names. */
function userData(a: Assessment, email: string): string[] {
  const words = [
    ...a.topics.map((t) => t.code),
    ...a.groups.map((g) => g.code),
    ...email.split(/[^A-Za-z]+/),
    // Names of standards, formats and the method, which the Chinese texts also write in Latin letters.
    ...[
      'ESG',
      'HKEX',
      'ESRS',
      'IRO',
      'CSV',
      'XLSX',
      'SVG',
      'PNG',
      'JPEG',
      'JSON',
      'API',
      'URL',
      'UTF',
      'IP',
    ],
    ...['MB', 'KB', 'UTC', 'SMTP', 'IANA', 'dma-v1'],
    // A language picker names each language in itself.
    'English',
    // The column names an invitee file must have.
    'name',
    'email',
  ];
  return words.flatMap((w) => [w, ...w.split('-')]).filter((w) => w.length > 1);
}

async function visit(page: Page, path: string) {
  const res = await page.goto(`${sb.base}${path}`);
  expect({ path, status: res?.status() }).toEqual({ path, status: 200 });
  await page.waitForLoadState('load');
}

describe.each(['en', 'zh-Hant', 'zh-Hans'] as const)('staff pages in %s', (lang) => {
  it('fit 1280, 1366 and 390 px without sideways page scrolling, pass axe, and speak the page language', async () => {
    const { context, user } = await staffContext(sb, 'admin');
    await setLang(context, sb.base, lang);
    const page = await context.newPage();
    const problems: unknown[] = [];
    const allowed = userData(demo, user.email);
    for (const path of staffPages(demo)) {
      for (const width of WIDTHS) {
        // Chinese pages: one laptop and the phone width are enough for the layout checks.
        if (lang !== 'en' && width === 1280) continue;
        await page.setViewportSize({ width, height: 900 });
        await visit(page, path);
        const overflow = await pageOverflow(page);
        if (overflow > 0)
          problems.push({ path, width, overflow, culprits: await overflowCulprits(page) });
        if (width === 1366 || (lang === 'en' && width === 390)) {
          const axe = await axeViolations(page);
          if (axe.length) problems.push({ path, width, axe });
        }
        if (lang !== 'en' && width === 1366) {
          const latin = await latinWords(page, allowed);
          if (latin.length) problems.push({ path, latin });
        }
      }
    }
    await context.close();
    expect(problems).toEqual([]);
  }, 300_000);
});
