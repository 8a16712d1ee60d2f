import mongoose from 'mongoose';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { createThroughPage, staff, text } from '../assessments/pages.helpers';

useTestDb();
const app = makeApp();

const stored = (id: string) =>
  mongoose.connection.collection('assessments').findOne({ _id: id as never });

describe('assessment list and creation', () => {
  it.each([
    ['xiaomi-2024', 18, 10],
    ['hkex', 12, 7],
    ['esrs', 10, 7],
    ['blank', 0, 0],
  ])(
    'creates an assessment from the %s template through the page',
    async (template, topics, groups) => {
      const s = await staff(app);
      const id = await createThroughPage(s, template);
      const doc = await stored(id);
      expect(doc?.topics).toHaveLength(topics);
      expect(doc?.groups).toHaveLength(groups);
      if (template === 'xiaomi-2024') {
        expect(doc?.groups.find((g: { code: string }) => g.code === 'management')).toMatchObject({
          kind: 'internal',
          instruments: ['financial'],
        });
      }
      const page = await s.agent.get(`/assessments/${id}/topics`);
      expect(page.status).toBe(200);
      expect(page.text.match(/<tr id="topic-/g) ?? []).toHaveLength(topics);
      const overview = await s.agent.get(`/assessments/${id}?done=created`);
      expect(overview.text).toContain('The assessment has been created.');
      expect(overview.text).toMatch(/aria-current="page">Overview</);
    },
  );

  it('lists assessments with year, status, template and responses', async () => {
    const s = await staff(app);
    await createThroughPage(s, 'hkex', 'Listed HKEX 2025');
    const res = await s.agent.get('/assessments');
    expect(res.status).toBe(200);
    const row = text(res.text);
    expect(row).toMatch(/Listed HKEX 2025 2025 Draft HKEX ESG aspects \(12 topics\) 0/);
    expect(res.text).toContain('action="/assessments"');
  });

  it('re-renders the create form with 422 and the input kept', async () => {
    const s = await staff(app);
    const res = await s.form('/assessments', { name: '', reportingYear: 'soon', template: 'esrs' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Enter a year between 1990 and 2100.');
    expect(res.text).toMatch(/id="template-esrs"[^>]*checked/);
    expect(res.text).toContain('value="soon"');
  });
});

describe('status changes', () => {
  it('asks for confirmation, then opens, closes and reopens', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'hkex');
    const overview = await s.agent.get(`/assessments/${id}`);
    expect(overview.text).toContain(`href="/assessments/${id}/status?to=open"`);

    const confirm = await s.agent.get(`/assessments/${id}/status?to=open`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Open the assessment?');
    expect(confirm.text).toMatch(/name="status" value="open"/);
    expect((await stored(id))?.status).toBe('draft'); // GET changes nothing

    const open = await s.form(`/assessments/${id}/status`, { status: 'open' });
    expect(open.status).toBe(303);
    expect(open.headers.location).toBe(`/assessments/${id}?done=status-open`);
    expect((await stored(id))?.status).toBe('open');

    expect((await s.agent.get(`/assessments/${id}/status?to=closed`)).text).toContain(
      'Close the assessment?',
    );
    expect((await s.form(`/assessments/${id}/status`, { status: 'closed' })).status).toBe(303);
    expect((await stored(id))?.status).toBe('closed');

    const reopen = await s.agent.get(`/assessments/${id}/status?to=open`);
    expect(reopen.text).toContain('Reopen the assessment?');
    expect((await s.form(`/assessments/${id}/status`, { status: 'open' })).status).toBe(303);
    expect((await stored(id))?.status).toBe('open');

    // Not a transition from here: a readable 409.
    const wrong = await s.agent.get(`/assessments/${id}/status?to=open`);
    expect(wrong.status).toBe(409);
    expect(wrong.text).toContain('This status change is not allowed.');
  });

  it('refuses to open an empty blank assessment with a readable page', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'blank');
    const res = await s.form(`/assessments/${id}/status`, { status: 'open' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Not possible now');
    expect(res.text).toContain(
      'Add at least one topic and one stakeholder group with a questionnaire before opening.',
    );
    expect((await stored(id))?.status).toBe('draft');
  });
});

describe('settings', () => {
  it('saves name, modes, languages and texts per language', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'esrs');
    const res = await s.form(`/assessments/${id}/settings`, {
      name: 'ESRS DMA 2025',
      'settings.instruments.impact.mode': 'assessment',
      'settings.instruments.financial.mode': 'rating',
      'settings.languages': ['en', 'zh-Hans'],
      'settings.intro.en': 'Hello',
      'settings.intro.zh-Hant': '你好',
      'settings.intro.zh-Hans': '你好',
      'settings.privacy.en': 'Private',
      'settings.privacy.zh-Hant': '',
      'settings.privacy.zh-Hans': '私隐',
      'settings.axisLabels.impact.en': 'Impact',
      'settings.axisLabels.impact.zh-Hant': '影響',
      'settings.axisLabels.impact.zh-Hans': '影响',
      'settings.axisLabels.financial.en': 'Financial',
      'settings.axisLabels.financial.zh-Hant': '財務',
      'settings.axisLabels.financial.zh-Hans': '财务',
    });
    expect(res.status).toBe(303);
    const doc = await stored(id);
    expect(doc?.name).toBe('ESRS DMA 2025');
    expect(doc?.settings.instruments).toEqual({
      impact: { mode: 'assessment' },
      financial: { mode: 'rating' },
    });
    expect(doc?.settings.languages).toEqual(['en', 'zh-Hans']);
    expect(doc?.settings.intro.en).toBe('Hello');
    expect(doc?.settings.privacy['zh-Hans']).toBe('私隐');
    expect(res.headers.location).toBe(`/assessments/${id}/settings?done=settingsSaved`);
    const page = await s.agent.get(res.headers.location!);
    expect(page.text).toContain('The settings have been saved.');
    expect(page.text).toMatch(/id="settings-languages-zh-Hans"[^>]*checked/);
    expect(page.text).not.toMatch(/id="settings-languages-zh-Hant"[^>]*checked/);
  });

  it('answers 422 and keeps the input when no language is offered', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'esrs');
    const res = await s.form(`/assessments/${id}/settings`, {
      name: 'Kept name',
      'settings.intro.en': 'Kept intro',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Offer at least one language.');
    expect(res.text).toContain('value="Kept name"');
    expect(res.text).toContain('Kept intro</textarea>');
    expect((await stored(id))?.name).toBe('DMA esrs');
  });
});
