import { useTestDb } from '../helpers/db';
import { makeApp } from '../helpers/app';
import {
  createThroughPage,
  openThroughPage,
  staff,
  submitResponse,
} from '../assessments/pages.helpers';

useTestDb();
const app = makeApp();

describe('overview: responses against targets and when the data was last updated', () => {
  it('says no response is counted yet, then shows the time of the last counted response', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    await openThroughPage(s, id);
    const before = await s.agent.get(`/assessments/${id}`);
    expect(before.text).toContain('No response has been counted yet.');

    const inv = await s.form(`/assessments/${id}/invitations`, { group: 'users', kind: 'open' });
    expect(inv.status).toBe(303);
    const csv = await s.agent.get(`/assessments/${id}/invitations.csv?group=users`);
    const token = /\/s\/([A-Za-z0-9_-]{16,64})/.exec(csv.text)![1]!;
    await submitResponse(app, token);

    const after = await s.agent.get(`/assessments/${id}`);
    expect(after.text).toMatch(/Last response counted: \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\)/);
    const zh = await s.agent.get(`/assessments/${id}?lang=zh-Hant`);
    expect(zh.text).toContain('最後計入回覆');
  });
});
