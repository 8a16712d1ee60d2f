import mongoose from 'mongoose';
import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  createThroughPage,
  linkTokens,
  openThroughPage,
  staff,
  submitResponse,
  text,
} from './pages.helpers';

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });

type Group = {
  code: string;
  name: Record<string, string>;
  kind: string;
  weight: number;
  instruments: string[];
  targetResponses: number;
};
const stored = async (id: string) =>
  (await mongoose.connection
    .collection('assessments')
    .findOne({ _id: id as never })) as unknown as {
    groups: Group[];
    topics: { code: string; name: { en: string } }[];
    locked: boolean;
  };

const groupForm = (code: string, extra: Record<string, string | string[]> = {}) => ({
  code,
  'name.en': `Group ${code}`,
  'name.zh-Hant': `組別 ${code}`,
  'name.zh-Hans': `组别 ${code}`,
  kind: 'external',
  weight: '2',
  instruments: ['impact', 'financial'],
  targetResponses: '150',
  ...extra,
});

describe('stakeholder groups through the pages', () => {
  it('adds, edits and removes a group', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s);
    const add = await s.form(`/assessments/${id}/groups`, groupForm('customers'));
    expect(add.status).toBe(303);
    expect((await stored(id)).groups).toEqual([
      {
        code: 'customers',
        name: { en: 'Group customers', 'zh-Hant': '組別 customers', 'zh-Hans': '组别 customers' },
        kind: 'external',
        weight: 2,
        instruments: ['impact', 'financial'],
        targetResponses: 150,
      },
    ]);
    const list = await s.agent.get(`/assessments/${id}/groups`);
    expect(text(list.text)).toContain(
      'customers Group customers 組別 customers 组别 customers External 2 Impact questionnaire, Financial questionnaire 150',
    );

    const edit = await s.agent.get(`/assessments/${id}/groups/customers`);
    expect(edit.status).toBe(200);
    expect(edit.text).toMatch(/id="instruments-financial"[^>]*checked/);
    const saved = await s.form(
      `/assessments/${id}/groups/customers`,
      groupForm('x', {
        kind: 'internal',
        instruments: 'financial',
        weight: '0.5',
        targetResponses: '20',
      }),
    );
    expect(saved.status).toBe(303);
    expect((await stored(id)).groups[0]).toMatchObject({
      kind: 'internal',
      instruments: ['financial'],
      weight: 0.5,
      targetResponses: 20,
    });

    const bad = await s.form(
      `/assessments/${id}/groups`,
      groupForm('more', { instruments: [], weight: 'heavy' }),
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Choose at least one questionnaire.');
    expect(bad.text).toContain('Enter a number from 0 to 1000.');
    expect(bad.text).toContain('value="heavy"');

    expect((await s.agent.get(`/assessments/${id}/groups/customers/remove`)).text).toContain(
      'Remove “Group x” (customers)',
    );
    expect((await s.form(`/assessments/${id}/groups/customers/remove`)).status).toBe(303);
    expect((await stored(id)).groups).toEqual([]);
  });
});

describe('lock after the first response', () => {
  it('freezes topics, groups and modes with a readable 409, but not weights or the IRO register', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'hkex');
    await openThroughPage(s, id);
    expect(
      (
        await s.form(`/assessments/${id}/invitations`, {
          kind: 'personal',
          group: 'customers',
          count: '1',
        })
      ).status,
    ).toBe(303);
    const [token] = await linkTokens(s, id, 'customers');
    await submitResponse(app, token!);
    expect((await stored(id)).locked).toBe(true);

    const topics = await s.agent.get(`/assessments/${id}/topics`);
    expect(topics.text).toContain('The set-up is locked');
    expect(topics.text).toContain(
      'topics, stakeholder groups and questionnaire modes can no longer be changed',
    );
    expect(topics.text).not.toContain(`action="/assessments/${id}/topics"`); // no add form
    expect(topics.text).not.toContain('/topic-import');

    const editTopic = await s.form(`/assessments/${id}/topics/A1`, {
      'name.en': 'Renamed',
      category: 'E',
      'impactProfile.nature': 'negative',
      'impactProfile.occurrence': 'actual',
    });
    expect(editTopic.status).toBe(409);
    expect(editTopic.text).toContain('Not possible now');
    expect(editTopic.text).toContain('This assessment already has responses');
    const addTopic = await s.form(`/assessments/${id}/topics`, {
      code: 'new',
      'name.en': 'New',
      category: 'E',
    });
    expect(addTopic.status).toBe(409);
    expect((await s.form(`/assessments/${id}/topics/A2/move`, { direction: 'up' })).status).toBe(
      409,
    );

    const groupPage = await s.agent.get(`/assessments/${id}/groups/customers`);
    expect(groupPage.text).toContain('Weights and target responses can still be changed.');
    expect(groupPage.text).not.toContain('name="name.en"');
    const rename = await s.form(`/assessments/${id}/groups/customers`, groupForm('customers'));
    expect(rename.status).toBe(409);
    expect(rename.text).toContain('This assessment already has responses');
    const weights = await s.form(`/assessments/${id}/groups/customers`, {
      scope: 'weights',
      weight: '3',
      targetResponses: '500',
    });
    expect(weights.status).toBe(303);
    expect((await stored(id)).groups.find((g) => g.code === 'customers')).toMatchObject({
      weight: 3,
      targetResponses: 500,
    });

    const mode = await s.form(`/assessments/${id}/settings`, {
      name: 'x',
      'settings.languages': 'en',
      'settings.instruments.impact.mode': 'assessment',
    });
    expect(mode.status).toBe(409);
    const overview = await s.agent.get(`/assessments/${id}/settings`);
    expect(overview.text).toMatch(
      /<fieldset id="settings-instruments-impact-mode" class="choices" disabled/,
    );

    expect(
      (
        await s.form(`/assessments/${id}/topics/A1/iros`, {
          type: 'opportunity',
          actuality: 'potential',
          stage: 'downstream',
          horizon: 'medium',
          description: 'Still allowed',
        })
      ).status,
    ).toBe(303);
    expect((await stored(id)).topics[0]!.name.en).toBe('Emissions');
  });
});
