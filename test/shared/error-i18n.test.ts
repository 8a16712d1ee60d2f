import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { createTestUser, loggedInAgent, makeApp } from '../helpers/app';

useTestDb();
const app = makeApp();

// Every message an error page shows goes through i18n: no English on a Chinese page.
describe('error pages in Chinese', () => {
  it('a forbidden page for a viewer is entirely in zh-Hans', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent
      .get('/admin/users')
      .set('Accept-Language', 'zh-CN')
      .set('Accept', 'text/html');
    expect(res.status).toBe(403);
    expect(res.text).toContain('你没有权限执行此操作。');
    expect(res.text).not.toMatch(/may not|permission/i);
  });

  it('/setup after set-up is a zh-Hant 404 page', async () => {
    await createTestUser('admin');
    const res = await request(app)
      .get('/setup')
      .set('Accept-Language', 'zh-HK')
      .set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.text).toContain('你要求的頁面不存在。');
    expect(res.text).not.toContain('Setup is complete');
  });

  it('a malformed JSON body answers in English JSON with its code', async () => {
    const res = await request(app)
      .post('/api/v1/survey/AAAAAAAAAAAAAAAAAAAAAA')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'malformed_body',
      message: 'The request body is not valid JSON.',
    });
  });
});
