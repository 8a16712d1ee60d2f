import { dayBars, progressRows, steps } from '../../src/overview/dashboard.presenter';
import { addDays, dayKey } from '../../src/results/tallies/day-key';
import { loggedInAgent, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { text } from '../assessments/pages.helpers';
import { seedAssessment } from '../results/results-fixtures';

// The assessment dashboard (issue 20 §3): steps, responses against targets and by day, material
// topics and the matrix thumbnail; the per-day counters it reads are kept with the other counters.

const a = (status: 'draft' | 'open' | 'closed' | 'approved', ready = true) =>
  ({
    _id: 'A1',
    status,
    topics: ready ? [{ code: 'T' }] : [],
    groups: [{ code: 'g', instruments: ready ? ['impact'] : [] }],
  }) as unknown as Parameters<typeof steps>[0];

describe('dashboard presenter', () => {
  it('walks set up → collect → score → review → report by status, naming the next thing to do', () => {
    const states = (s: ReturnType<typeof steps>) => s.steps.map((x) => `${x.key}:${x.state}`);
    expect(states(steps(a('draft', false), 0))).toEqual([
      'setup:current',
      'collect:todo',
      'score:todo',
      'review:todo',
      'report:todo',
    ]);
    expect(steps(a('draft', false), 0).next).toEqual({
      what: 'setupTodo',
      href: '/assessments/A1/topics',
    });
    expect(steps(a('draft'), 0).next).toEqual({
      what: 'setupOpen',
      href: '/assessments/A1/status?to=open',
    });
    expect(states(steps(a('open'), 0))).toEqual([
      'setup:done',
      'collect:current',
      'score:todo',
      'review:todo',
      'report:todo',
    ]);
    expect(steps(a('open'), 0).next?.what).toBe('collectTodo');
    expect(states(steps(a('open'), 12)).slice(1, 3)).toEqual(['collect:current', 'score:current']);
    expect(steps(a('open'), 12).next?.what).toBe('collectClose');
    expect(states(steps(a('closed'), 12))).toEqual([
      'setup:done',
      'collect:done',
      'score:current',
      'review:current',
      'report:todo',
    ]);
    expect(steps(a('closed'), 12).next).toEqual({
      what: 'reviewTodo',
      href: '/assessments/A1/review',
    });
    expect(states(steps(a('approved'), 12))).toEqual([
      'setup:done',
      'collect:done',
      'score:done',
      'review:done',
      'report:current',
    ]);
  });

  it('puts responses against targets, capping the bar at 100 % and leaving groups without a target barless', () => {
    const groups = [
      { code: 'emp', name: { en: 'Employees', 'zh-Hant': '僱員' }, targetResponses: 40 },
      { code: 'sup', name: { en: 'Suppliers' }, targetResponses: 10 },
      { code: 'com', name: { en: 'Community' }, targetResponses: 0 },
    ] as unknown as Parameters<typeof progressRows>[0]['groups'];
    const p = progressRows(
      { groups },
      Object.assign(Object.create(null), { emp: 10, sup: 25 }),
      'zh-Hant',
    );
    expect(p.rows.map((r) => [r.name, r.responses, r.target, r.percent])).toEqual([
      ['僱員', 10, 40, 25],
      ['Suppliers', 25, 10, 100],
      ['Community', 0, 0, null],
    ]);
    expect([p.total, p.target, p.percent]).toEqual([35, 50, 70]);
  });

  it('draws a bar per day from the first response to the last (or today while open), zeros between', () => {
    const days = new Map([
      ['2025-03-01', 4],
      ['2025-03-03', 2],
    ]);
    const closed = dayBars(days, { today: '2025-03-10', open: false });
    expect(closed.bars.map((b) => [b.day, b.n])).toEqual([
      ['2025-03-01', 4],
      ['2025-03-02', 0],
      ['2025-03-03', 2],
    ]);
    expect(closed.max).toBe(4);
    expect(closed.bars[0]!.height).toBe(40);
    expect(closed.bars[2]!.height).toBe(20);
    expect(dayBars(days, { today: '2025-03-10', open: true }).bars).toHaveLength(10);
    // At most 30 days, ending at the last one.
    const long = dayBars(
      new Map([
        ['2025-01-01', 1],
        ['2025-03-31', 1],
      ]),
      { today: '2025-03-31', open: false },
    );
    expect(long.bars).toHaveLength(30);
    expect(long.bars[0]!.day).toBe('2025-03-02');
    expect(dayBars(new Map(), { today: '2025-03-10', open: true }).bars).toEqual([]);
  });

  it('keys the per-day counters by UTC day and adds them up from group documents', () => {
    expect(dayKey(new Date('2025-03-01T23:59:59Z'))).toBe('day:2025-03-01');
    expect(dayKey(null)).toBeNull();
    expect(dayKey('not a date')).toBeNull();
    const into = new Map<string, number>();
    addDays(into, { 'day:2025-03-01': 2, 'tally:T:impact:n': 9, responses: 3 } as never);
    addDays(into, { 'day:2025-03-01': 1, 'day:2025-03-02': 5 } as never);
    addDays(into, null);
    expect([...into]).toEqual([
      ['2025-03-01', 3],
      ['2025-03-02', 5],
    ]);
  });
});

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

describe('the overview page', () => {
  it('shows the steps, responses against targets and by day, the material topics and a matrix thumbnail', async () => {
    const { id } = await seedAssessment(app);
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent.get(`/assessments/${id}?lang=en`);
    expect(res.status).toBe(200);
    const page = text(res.text);
    expect(res.text).toMatch(/<li class="step step-current" aria-current="step">[\s\S]*?Collect/);
    expect(page).toContain('Next: close the assessment when enough responses are in');
    // 5 + 2 impact and 5 financial responses, counted today (UTC) with the other counters.
    expect(page).toContain('All groups: 12 responses');
    expect(page).toMatch(/Employees 5 \(no target\)/);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.text).toContain(`<title>${today}: 12</title>`);
    expect(page).toContain('2 of 4 topics are material'); // CLIMATE and ETHICS
    expect(res.text).toContain(`<img src="/assessments/${id}/matrix.svg?lang=en&amp;labels=0"`);
    expect(res.text).toContain(`href="/assessments/${id}/settings#scoring"`);
    // The settings moved to their own tab.
    expect(res.text).not.toContain('name="settings.languages"');
    expect(res.text).toMatch(/<nav class="breadcrumb" aria-label="Breadcrumb">/);
  });

  it('is where a user lands after login: the home page is the assessments list', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toMatch(/<h1>Assessments<\/h1>/);
  });
});
