import request from 'supertest';
import { revokeLink } from '../../src/invitations/link.service';
import { getStats } from '../../src/results/tallies/tally.service';
import { csrfFrom, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  answerPage,
  db,
  draftsOf,
  responsesOf,
  startSurvey,
  submit,
  surveyOn,
} from './survey-pages.helpers';

// Closed, draft, unknown and revoked links, and the count of openings.
// The questionnaire pages at /s/:token, driven as a browser without JavaScript would (see survey-pages.helpers.ts).

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const survey = surveyOn(app);

describe('link states', () => {
  it('shows a friendly "closed" page (403) for a closed or draft assessment', async () => {
    const closed = await survey();
    const agent = request.agent(app);
    const intro = await agent.get(`/s/${closed.tokens[0]}`).set('Accept-Language', 'en');
    expect(
      (await closed.api.post(`/api/v1/assessments/${closed.id}/status`, { status: 'closed' }))
        .status,
    ).toBe(200);
    for (const path of ['', '?page=1', '/review']) {
      const res = await agent.get(`/s/${closed.tokens[0]}${path}`).set('Accept-Language', 'en');
      expect(res.status).toBe(403);
      expect(res.text).toContain('This survey is closed');
      expect(res.text).toContain('not open at the moment');
    }
    expect((await submit(agent, closed.tokens[0], csrfFrom(intro.text))).status).toBe(403);

    const draft = await survey({ open: false });
    const res = await request(app).get(`/s/${draft.tokens[0]}`).set('Accept-Language', 'zh-HK');
    expect(res.status).toBe(403);
    expect(res.text).toContain('此問卷已關閉');
    expect(await responsesOf(closed.id)).toHaveLength(0);
  });

  it('shows a readable 404 page for an unknown or revoked token', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'x', 'not a token']) {
      const res = await request(app).get(`/s/${encodeURIComponent(token)}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Survey link not valid');
      expect(res.text).toContain('This survey link is not valid');
    }
    const { api, id, tokens } = await survey();
    await revokeLink(api.user, id, tokens[0]);
    const revoked = await request(app).get(`/s/${tokens[0]}`);
    expect(revoked.status).toBe(404);
    expect(revoked.text).toContain('This survey link is not valid');
  });

  it('counts an opening on the first interaction, never on a GET (mail scanners fetch links)', async () => {
    const { id, tokens } = await survey();
    const token = tokens[0];
    await request(app).get(`/s/${token}`);
    await request(app).get(`/s/${token}?page=1`);
    await request(app).get(`/s/${token}?lang=zh-Hans`);
    await request(app).get(`/s/${token}/review`);
    expect((await getStats(id)).links.users?.opened ?? 0).toBe(0);
    const untouched = await db()
      .collection('links')
      .findOne({ _id: token as never });
    expect(untouched?.opens).toBe(0);
    expect(await draftsOf(id)).toHaveLength(0); // ?lang= on a GET writes no draft either

    const agent = request.agent(app);
    await startSurvey(agent, token); // the first POST
    await answerPage(agent, token, 1, () => '2'); // a page POST: still the same first opening
    expect((await getStats(id)).links.users?.opened).toBe(1);
    const link = await db()
      .collection('links')
      .findOne({ _id: token as never });
    expect(link?.opens).toBe(1);
    expect(link?.openedAt).toBeInstanceOf(Date);
  });
});
