import request from 'supertest';
import { useTestDb } from '../helpers/db';
import { csrfFrom, makeApp, PASSWORD } from '../helpers/app';

useTestDb();

describe('first-run setup', () => {
  it('lets the first visitor create the first admin, then disappears', async () => {
    const app = makeApp();
    const agent = request.agent(app);
    expect((await agent.get('/login')).headers.location).toBe('/setup');
    const page = await agent.get('/setup');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="password"');

    const weak = await agent
      .post('/setup')
      .type('form')
      .send({
        email: 'a@example.com',
        password: 'short',
        confirm: 'short',
        _csrf: csrfFrom(page.text),
      });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('at least 12 characters');

    const ok = await agent
      .post('/setup')
      .type('form')
      .send({
        email: 'Admin@Example.com',
        password: PASSWORD,
        confirm: PASSWORD,
        _csrf: csrfFrom(weak.text),
      });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/');
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('/admin/users'); // logged in as admin

    expect((await request(app).get('/setup')).status).toBe(404);
    const again = request.agent(app);
    const login = await again.get('/login');
    const post = await again
      .post('/setup')
      .type('form')
      .send({
        email: 'b@example.com',
        password: PASSWORD,
        confirm: PASSWORD,
        _csrf: csrfFrom(login.text),
      });
    expect(post.status).toBe(404);
  });
});
