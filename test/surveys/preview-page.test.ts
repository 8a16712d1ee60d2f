import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { createThroughPage, staff } from '../assessments/pages.helpers';

useTestDb();
const app = makeApp();

describe('preview', () => {
  it('shows the questionnaire of a group in zh-Hans, read-only', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    const res = await s.agent.get(`/assessments/${id}/preview?group=management&lang=zh-Hans`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div class="survey preview-frame" lang="zh-Hans">');
    expect(res.text.match(/data-topic="/g)).toHaveLength(18);
    expect(res.text).toContain('科技探索与普惠');
    expect(res.text).toContain('产品与服务质量');
    expect(res.text).not.toContain('產品與服務質量');
    expect(res.text).toMatch(/<fieldset disabled class="preview-controls">/);
    expect(res.text).toContain('不知道');
    const frame = res.text.slice(res.text.indexOf('preview-frame'));
    expect(frame).not.toContain('<form');
    expect(frame).not.toContain('type="submit"');
    // management answers the financial questionnaire only: magnitude and likelihood per topic.
    expect(
      res.text.match(/name="preview-financial:tech-inclusion:[a-z]+" value="1"/g),
    ).toHaveLength(2);
    expect(res.text).not.toContain('preview-impact:');
  });
});
