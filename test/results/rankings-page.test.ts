import { useTestDb } from '../helpers/db';
import { csrfFrom, loggedInAgent, makeApp } from '../helpers/app';
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
    // classification, borderline, priority, the breakdown toggle
    expect(rowOf(res.text, 'ETHICS')).toEqual([
      '1',
      'Business ethics ETHICS',
      'G Governance',
      '2.00 n = 7',
      '5.00 n = 5',
      'Financial only',
      'No',
      '1.67',
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
      'Show groups: Climate change',
    ]);
    expect(rowOf(res.text, 'WATER').slice(3, 5)).toEqual(['—no score n = 0', '—no score n = 0']);
    expect(res.text).toMatch(
      /<th scope="col" class="col-rank num" aria-sort="ascending">\s*<a href="\/assessments\/[a-f0-9]+\/rankings\?sort=rank&amp;dir=desc" data-sort="rank"/,
    );
    expect(res.text).toMatch(/Last computed[\s\S]*<time datetime="\d{4}-/);
    expect(res.text).toMatch(/Data updated[\s\S]*<time datetime="\d{4}-/);
    expect(res.text).toContain('/static/js/rankings.js');
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

describe('settings panel', () => {
  it('changes thresholds, rule, weights and ranking method; the new results show right after the redirect', async () => {
    const { id } = await seedAssessment(app);
    const { agent } = await loggedInAgent(app, 'analyst');
    const page = await agent.get(`/assessments/${id}/rankings?lang=en`);
    expect(page.text).toMatch(
      /<form method="post" action="\/assessments\/[a-f0-9]+\/rankings\/settings"/,
    );
    expect(page.text).toMatch(/name="weights\.A" type="number"[^>]*value="1"/);
    const res = await agent
      .post(`/assessments/${id}/rankings/settings`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        'thresholds.impact': '2',
        'thresholds.financial': '4.5',
        rule: 'both',
        rankingMethod: 'sum',
        borderlineBand: '0.25',
        minGroupN: '1',
        minReportN: '2',
        'weights.A': '3',
        'weights.B': '1',
        'weights.M': '1',
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/assessments/${id}/rankings?saved=1#settings`);
    const after = await agent.get(res.headers.location ?? '');
    expect(after.text).toContain('Settings saved');
    // Weights 3:1 → I(CLIMATE) = (3·5+4)/4 = 4.75, I(ETHICS) = 2.5, I(LABOUR) = 2.25; sum ranking.
    expect(order(after.text)).toEqual(['CLIMATE', 'ETHICS', 'LABOUR', 'WATER']);
    expect(rowOf(after.text, 'CLIMATE').slice(0, 8)).toEqual([
      '1',
      'Climate change CLIMATE',
      'E Environmental',
      '4.75 n = 7',
      '4.00 n = 5',
      'Impact only',
      'No',
      '8.75',
    ]);
    expect(rowOf(after.text, 'ETHICS').slice(0, 8)).toEqual([
      '2',
      'Business ethics ETHICS',
      'G Governance',
      '2.50 n = 7',
      '5.00 n = 5',
      'Double material',
      'No',
      '7.50',
    ]);
    expect(rowOf(after.text, 'LABOUR').slice(5, 8)).toEqual(['Impact only', 'Yes', '4.25']); // |2.25 − 2| ≤ 0.25
    // minReportN 2: Suppliers (2 responses) are now shown.
    expect(breakdownOf(after.text, 'CLIMATE')).toMatch(/Suppliers 4\.00 0\.00 2 0 /);
    expect(after.text).toMatch(/name="thresholds\.financial" type="number"[^>]*value="4.5"/);
    expect(after.text).toMatch(
      /<input type="radio" id="rule-both" name="rule" value="both" checked>/,
    );
    expect(after.text).toMatch(/<option value="sum" selected>/);

    const matrix = await agent.get(`/assessments/${id}/matrix?lang=en`);
    expect(matrix.text).toMatch(
      /"markLine":\{[^}]*"lineStyle"[\s\S]*?"xAxis":2,[\s\S]*?"yAxis":4\.5/,
    );
  });

  it('re-renders with 422, field errors and the input kept when a value is bad; nothing changes', async () => {
    const { id } = await seedAssessment(app, { respond: false });
    const { agent } = await loggedInAgent(app, 'analyst');
    const page = await agent.get(`/assessments/${id}/rankings?lang=en`);
    const res = await agent
      .post(`/assessments/${id}/rankings/settings`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        'thresholds.impact': '7',
        'thresholds.financial': '',
        rule: 'sometimes',
        rankingMethod: 'sum',
        borderlineBand: '0.25',
        minGroupN: '1.5',
        minReportN: '5',
        'weights.A': '-1',
        'weights.B': '1',
        'weights.M': '1',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('href="#thresholds-impact"');
    expect(res.text).toContain('href="#thresholds-financial"');
    expect(res.text).toContain('href="#rule"');
    expect(res.text).toContain('href="#minGroupN"');
    expect(res.text).toContain('href="#weights-A"');
    expect(res.text).toContain('Enter a number greater than 0 and at most 5.');
    expect(res.text).toMatch(
      /id="thresholds-impact" name="thresholds\.impact" type="number"[^>]*value="7"[^>]*\s+aria-invalid="true"/,
    );
    const unknown = await agent
      .post(`/assessments/${id}/rankings/settings`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        'thresholds.impact': '3',
        'thresholds.financial': '3',
        rule: 'either',
        rankingMethod: 'sum',
        borderlineBand: '0.25',
        minGroupN: '1',
        minReportN: '5',
        'weights.ZZ': '1',
      });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('No stakeholder group has this code.');
    const still = await agent.get(`/assessments/${id}/rankings?lang=en`);
    expect(still.text).toMatch(/name="thresholds\.impact" type="number"[^>]*value="3"/);
    expect(still.text).toMatch(/<option value="exceedance" selected>/);
  });

  it('is read-only for viewers, and a viewer posting it gets 403', async () => {
    const { id } = await seedAssessment(app, { respond: false });
    const { agent } = await loggedInAgent(app, 'viewer');
    const page = await agent.get(`/assessments/${id}/rankings?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('/rankings/settings"');
    expect(page.text).toContain('Only analysts and administrators can change these settings.');
    expect(page.text).toMatch(/Impact threshold \(0–5\)<\/dt><dd>3<\/dd>/);
    const res = await agent
      .post(`/assessments/${id}/rankings/settings`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        'thresholds.impact': '2',
        'thresholds.financial': '2',
        rule: 'both',
        rankingMethod: 'sum',
        borderlineBand: '0.25',
        minGroupN: '1',
        minReportN: '5',
      });
    expect(res.status).toBe(403);
    const bad = await agent
      .post(`/assessments/${id}/rankings/settings`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), 'thresholds.impact': 'x' });
    expect(bad.status).toBe(403);
  });

  it('refuses a post without the CSRF token', async () => {
    const { id } = await seedAssessment(app, { respond: false });
    const { agent } = await loggedInAgent(app, 'analyst');
    const res = await agent
      .post(`/assessments/${id}/rankings/settings`)
      .type('form')
      .send({ 'thresholds.impact': '2' });
    expect(res.status).toBe(403);
  });
});
