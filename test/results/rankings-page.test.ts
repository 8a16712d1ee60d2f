import { useTestDb } from '../helpers/db';
import { loggedInAgent, makeApp } from '../helpers/app';
import { seedAssessment } from './results-fixtures';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

/** Topic codes of the rankings table, top to bottom. */
const order = (html: string) => [...html.matchAll(/<tr data-code="([^"]+)"/g)].map((m) => m[1]);
/** The cells of one topic's row, tags stripped. */
function rowOf(html: string, code: string): string[] {
  const m = new RegExp(`<tr data-code="${code}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  if (!m) throw new Error(`no row for ${code}`);
  return [...(m[1] ?? '').matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) =>
    (c[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
/** The per-group breakdown of one topic. */
function breakdownOf(html: string, code: string): string {
  const m = new RegExp(
    `<tr class="breakdown-row"[^>]*data-breakdown-of="${code}"[^>]*>([\\s\\S]*?)</div>\\s*</td>\\s*</tr>`,
  ).exec(html);
  if (!m) throw new Error(`no breakdown for ${code}`);
  return (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('rankings page', () => {
  let id: string;
  let agent: Awaited<ReturnType<typeof loggedInAgent>>['agent'];
  beforeAll(async () => {
    ({ id } = await seedAssessment(app));
    ({ agent } = await loggedInAgent(app, 'analyst'));
  });

  it('lists topics in rank order with rank, code, name, category, scores, n, classification, borderline and priority', async () => {
    const res = await agent.get(`/assessments/${id}/rankings?lang=en`);
    expect(res.status).toBe(200);
    expect(order(res.text)).toEqual(['ETHICS', 'CLIMATE', 'LABOUR', 'WATER']);
    // rank, name with the code under it, category, impact and financial with n under them,
    // classification, borderline, priority, P(material), the breakdown toggle
    expect(rowOf(res.text, 'ETHICS')).toEqual([
      '1',
      'Business ethics ETHICS',
      'G Governance',
      '2.00 n = 7',
      '5.00 n = 5',
      'Financial only',
      'No',
      '1.67',
      'not computed yet', // P(material): analytics not computed (rankings-analytics.test.ts)
      'Show groups: Business ethics',
    ]);
    expect(rowOf(res.text, 'CLIMATE')).toEqual([
      '2',
      'Climate change CLIMATE',
      'E Environmental',
      '4.50 n = 7',
      '4.00 n = 5',
      'Double material',
      'No',
      '1.50',
      'not computed yet',
      'Show groups: Climate change',
    ]);
    expect(rowOf(res.text, 'WATER').slice(3, 5)).toEqual(['—no score n = 0', '—no score n = 0']);
    expect(res.text).toMatch(
      /<th scope="col" class="col-rank num" aria-sort="ascending">\s*<a href="\/assessments\/[a-f0-9]+\/rankings\?sort=rank&amp;dir=desc" data-sort="rank"/,
    );
    expect(res.text).toMatch(/Last computed[\s\S]*<time datetime="\d{4}-/);
    expect(res.text).toMatch(/Data updated[\s\S]*<time datetime="\d{4}-/);
    expect(res.text).toContain('/static/js/rankings.js');
    // The scoring settings live on the Settings tab: one line says which apply and links there.
    expect(res.text).toContain(
      'Thresholds 3 / 3, rule: either score, ranking: Exceedance of the thresholds.',
    );
    expect(res.text).toContain(`href="/assessments/${id}/settings#scoring"`);
    expect(res.text).not.toContain('name="thresholds.impact"');
  });

  it('sorts by any column without JavaScript, marking the active header with aria-sort', async () => {
    const byCode = await agent.get(`/assessments/${id}/rankings?sort=code&dir=asc&lang=en`);
    expect(order(byCode.text)).toEqual(['CLIMATE', 'ETHICS', 'LABOUR', 'WATER']);
    // The code is the topic heading's second sort link.
    expect(byCode.text).toMatch(
      /aria-sort="ascending">\s*<a href="[^"]*sort=name&amp;dir=asc" data-sort="name"[^>]*>[\s\S]*?<a class="sub-sort" href="[^"]*sort=code&amp;dir=desc" data-sort="code"/,
    );
    expect(byCode.text.match(/aria-sort=/g)).toHaveLength(1);
    const byFinancial = await agent.get(`/assessments/${id}/rankings?sort=financial&dir=desc`);
    expect(order(byFinancial.text)).toEqual(['ETHICS', 'CLIMATE', 'LABOUR', 'WATER']); // no score last
    expect(byFinancial.text).toMatch(
      /aria-sort="descending">\s*<a href="[^"]*sort=financial&amp;dir=asc"/,
    );
    const byImpactAsc = await agent.get(`/assessments/${id}/rankings?sort=impact&dir=asc`);
    expect(order(byImpactAsc.text)).toEqual(['ETHICS', 'LABOUR', 'CLIMATE', 'WATER']); // no score last either way
    const bogus = await agent.get(`/assessments/${id}/rankings?sort=__proto__&dir=sideways`);
    expect(bogus.status).toBe(200);
    expect(order(bogus.text)).toEqual(['ETHICS', 'CLIMATE', 'LABOUR', 'WATER']);
  });

  it('breaks each topic down by group, hiding groups with n below minReportN behind "fewer than"', async () => {
    const res = await agent.get(`/assessments/${id}/rankings?lang=en`);
    const climate = breakdownOf(res.text, 'CLIMATE');
    // A: 5 responses, all 5 → mean 5.00, sd 0.00, n 5, don't know 0; B: 2 responses → hidden.
    expect(climate).toMatch(
      /Impact: Climate change by stakeholder group .* Employees 5\.00 0\.00 5 0 /,
    );
    expect(climate).toMatch(/Suppliers fewer than 5 /);
    expect(climate).not.toMatch(/Suppliers 4\.00/);
    expect(climate).toMatch(
      /Financial: Climate change by stakeholder group .* Management 4\.00 0\.00 5 0 /,
    );
    // Nobody scored WATER (everyone answered "don't know"): n = 0 is below minReportN as well.
    expect(breakdownOf(res.text, 'WATER')).toMatch(
      /Employees fewer than 5 Suppliers fewer than 5 /,
    );
    // Hidden full-width rows; without JavaScript a link opens one (and keeps the sort).
    expect(res.text).toMatch(
      /<tr class="breakdown-row" id="groups-2" data-breakdown-of="CLIMATE" hidden>/,
    );
    expect(res.text).toContain('href="?sort=rank&amp;dir=asc&amp;groups=CLIMATE#groups-2"');
    const opened = await agent.get(`/assessments/${id}/rankings?lang=en&groups=CLIMATE`);
    expect(opened.text).toMatch(
      /<tr class="breakdown-row" id="groups-2" data-breakdown-of="CLIMATE">/,
    );
    expect(opened.text).toMatch(/aria-expanded="true">Hide groups/);
  });

  it('speaks zh-Hant with Hong Kong wording', async () => {
    const res = await agent.get(`/assessments/${id}/rankings?lang=zh-Hant`);
    expect(res.text).toContain('按持份者組別');
    expect(rowOf(res.text, 'CLIMATE').slice(1, 3)).toEqual(['氣候變化 CLIMATE', 'E 環境']);
    expect(breakdownOf(res.text, 'CLIMATE')).toContain('少於 5');
    await agent.get(`/assessments/${id}/rankings?lang=en`);
  });
});
