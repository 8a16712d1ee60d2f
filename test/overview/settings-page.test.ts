import { useTestDb } from '../helpers/db';
import { csrfFrom, loggedInAgent, makeApp } from '../helpers/app';
import { seedAssessment } from '../results/results-fixtures';

// The scoring settings (thresholds, rule, weights, ranking method) on the Settings tab.

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

describe('the Settings tab: scoring settings', () => {
  it('changes thresholds, rule, weights and ranking method; the new results show right after the redirect', async () => {
    const { id } = await seedAssessment(app);
    const { agent } = await loggedInAgent(app, 'analyst');
    const page = await agent.get(`/assessments/${id}/settings?lang=en`);
    expect(page.text).toMatch(
      /<form method="post" action="\/assessments\/[a-f0-9]+\/settings\/scoring"/,
    );
    expect(page.text).toMatch(/name="weights\.A" type="number"[^>]*value="1"/);
    const res = await agent
      .post(`/assessments/${id}/settings/scoring`)
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
    expect(res.headers.location).toBe(`/assessments/${id}/settings?done=scoringSaved#scoring`);
    const saved = await agent.get(res.headers.location ?? '');
    expect(saved.text).toContain('Scoring settings saved.');
    const after = await agent.get(`/assessments/${id}/rankings?lang=en`);
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
    expect(saved.text).toMatch(/name="thresholds\.financial" type="number"[^>]*value="4.5"/);
    expect(saved.text).toMatch(
      /<input type="radio" id="rule-both" name="rule" value="both" checked>/,
    );
    expect(saved.text).toMatch(/<option value="sum" selected>/);
  });

  it('re-renders with 422, field errors and the input kept when a value is bad; nothing changes', async () => {
    const { id } = await seedAssessment(app, { respond: false });
    const { agent } = await loggedInAgent(app, 'analyst');
    const page = await agent.get(`/assessments/${id}/settings?lang=en`);
    const res = await agent
      .post(`/assessments/${id}/settings/scoring`)
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
      .post(`/assessments/${id}/settings/scoring`)
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
    const still = await agent.get(`/assessments/${id}/settings?lang=en`);
    expect(still.text).toMatch(/name="thresholds\.impact" type="number"[^>]*value="3"/);
    expect(still.text).toMatch(/<option value="exceedance" selected>/);
  });

  it('is read-only for viewers, and a viewer posting it gets 403', async () => {
    const { id } = await seedAssessment(app, { respond: false });
    const { agent } = await loggedInAgent(app, 'viewer');
    const page = await agent.get(`/assessments/${id}/settings?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('/settings/scoring"');
    expect(page.text).toContain('Only analysts and administrators can change these settings.');
    expect(page.text).toMatch(/Impact threshold \(0–5\)<\/dt><dd>3<\/dd>/);
    const res = await agent
      .post(`/assessments/${id}/settings/scoring`)
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
      .post(`/assessments/${id}/settings/scoring`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), 'thresholds.impact': 'x' });
    expect(bad.status).toBe(403);
  });

  it('refuses a post without the CSRF token', async () => {
    const { id } = await seedAssessment(app, { respond: false });
    const { agent } = await loggedInAgent(app, 'analyst');
    const res = await agent
      .post(`/assessments/${id}/settings/scoring`)
      .type('form')
      .send({ 'thresholds.impact': '2' });
    expect(res.status).toBe(403);
  });
});

describe('the Settings tab: time zone', () => {
  it('shows times in the assessment’s time zone once set, and refuses a name it does not know', async () => {
    const { staff, createThroughPage } = await import('../assessments/pages.helpers');
    const s = await staff(app);
    const id = await createThroughPage(s, 'esrs');
    const page = await s.agent.get(`/assessments/${id}/settings?lang=en`);
    expect(page.text).toContain('Leave empty for the server’s: ');
    const bad = await s.form(`/assessments/${id}/settings`, {
      name: 'DMA esrs',
      'settings.languages': ['en'],
      'settings.timeZone': 'Mars/Olympus',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter a time zone name such as Asia/Hong_Kong');
    expect(bad.text).toContain('value="Mars/Olympus"');
    const ok = await s.form(`/assessments/${id}/settings`, {
      name: 'DMA esrs',
      'settings.languages': ['en'],
      'settings.timeZone': 'Asia/Hong_Kong',
    });
    expect(ok.status).toBe(303);
    const rankings = await s.agent.get(`/assessments/${id}/rankings?lang=en`);
    const m = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(rankings.text);
    expect(m).not.toBeNull();
    // Hong Kong is UTC+8 all year.
    const local = new Date(Date.parse(m![1]!) + 8 * 3600e3)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    expect(m![2]).toBe(`${local} Asia/Hong_Kong`);
  });
});
