import { makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { createThroughPage, staff } from '../assessments/pages.helpers';

useTestDb();
const app = makeApp();

describe('preview', () => {
  it('shows the questionnaire of a group in zh-Hans, read-only', async () => {
    const s = await staff(app);
    const id = await createThroughPage(s, 'xiaomi-2024');
    const res = await s.agent.get(`/assessments/${id}/preview?group=management&qlang=zh-Hans`);
    expect(res.status).toBe(200);
    // The staff page stays in the staff language; only the phone-width frame is in zh-Hans.
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('<h2>Preview</h2>');
    expect(res.text).toMatch(
      /<select id="preview-lang" name="qlang"[\s\S]*?<option value="zh-Hans" selected>/,
    );
    expect(res.text).toContain('<div class="preview-phone">');
    // The intro counts pages as the progress bar does (question pages and the review page).
    expect(res.text).toMatch(/問卷共 (\d+) 頁|问卷共 (\d+) 页/);
    const total = /问卷共 (\d+) 页/.exec(res.text)?.[1];
    expect(res.text).toContain(`第 1 页，共 ${total} 页`);
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
