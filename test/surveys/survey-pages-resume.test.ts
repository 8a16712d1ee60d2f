import request from 'supertest';
import { csrfFrom, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  answerAll,
  answerPage,
  checkedOf,
  db,
  draftsOf,
  locationOf,
  pageOf,
  present,
  responsesOf,
  startSurvey,
  submit,
  surveyOn,
} from './survey-pages.helpers';

// Autosave of answers, and resuming a link in the same or another browser.
// The questionnaire pages at /s/:token, driven as a browser without JavaScript would (see survey-pages.helpers.ts).

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const survey = surveyOn(app);

describe('autosave and resume', () => {
  it('resumes a personal link anywhere: a new browser sees the answers and lands on the first open page', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const first = request.agent(app);
    const location = await startSurvey(first, token);
    const { fields } = await answerPage(first, token, pageOf(location), (k) =>
      k.includes('product-quality') ? 'dk' : '2',
    );
    expect(await draftsOf(id)).toHaveLength(1);

    const other = request.agent(app); // no cookies at all
    const back = await other.get(`/s/${token}`);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`/s/${token}?page=2`);
    const page1 = await other.get(`/s/${token}?page=1`);
    const checked = checkedOf(page1.text);
    expect(Object.keys(checked).sort()).toEqual([...fields].sort());
    expect(checked['impact:product-quality:significance']).toBe('dk');
    expect(checked['impact:tech-inclusion:significance']).toBe('2');

    // The other browser finishes; the response holds the first browser's answers too.
    const { review } = await answerAll(other, token, locationOf(back), () => '5');
    expect((await submit(other, token, csrfFrom(review.text))).status).toBe(303);
    const [stored] = await responsesOf(id);
    const byTopic = Object.fromEntries(
      present(stored).answers.map((a: { topic: string; significance: number | null }) => [
        a.topic,
        a.significance,
      ]),
    );
    expect(byTopic['product-quality']).toBeNull();
    expect(byTopic['tech-inclusion']).toBe(2);
    expect(byTopic['stakeholder-engagement']).toBe(5);
  });

  it('resumes an open link in the same browser only', async () => {
    const { tokens } = await survey({ kind: 'open' });
    const [token] = tokens;
    const mine = request.agent(app);
    await startSurvey(mine, token);
    await answerPage(mine, token, 1, () => '3');

    const again = await mine.get(`/s/${token}`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/s/${token}?page=2`);
    expect(Object.values(checkedOf((await mine.get(`/s/${token}?page=1`)).text))).toEqual(
      Array(6).fill('3'),
    );

    const someoneElse = request.agent(app);
    const intro = await someoneElse.get(`/s/${token}`).set('Accept-Language', 'en');
    expect(intro.status).toBe(200);
    expect(intro.text).toContain('>Start<');
    expect(checkedOf((await someoneElse.get(`/s/${token}?page=1`)).text)).toEqual({});
  });

  it('lands on the review page when everything is answered, and Back keeps the answers', async () => {
    const { tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    await answerAll(agent, token, await startSurvey(agent, token), () => '1');
    expect((await agent.get(`/s/${token}`)).headers.location).toBe(`/s/${token}/review`);
    const { res } = await answerPage(agent, token, 2, () => undefined, { nav: 'back' });
    expect(res.headers.location).toBe(`/s/${token}?page=1`);
    expect(Object.values(checkedOf((await agent.get(`/s/${token}?page=2`)).text))).toEqual(
      Array(6).fill('1'),
    );
    const intro = await answerPage(agent, token, 1, () => undefined, { nav: 'back' });
    expect(intro.res.headers.location).toBe(`/s/${token}?page=0`);
    const introPage = await agent.get(locationOf(intro.res));
    expect(introPage.status).toBe(200);
    expect(introPage.text).toContain('Continue where you left off');
  });

  it('saves single answers posted as JSON by the script, with the CSRF header, and ignores unknown keys', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    await startSurvey(agent, token);
    const csrf = csrfFrom((await agent.get(`/s/${token}?page=1`)).text);
    const body = {
      values: {
        'impact:climate:significance': '4',
        'impact:waste:significance': 'dk',
        'impact:nope:significance': '3',
        'a.b': '1',
        $where: '1',
        'impact:governance:significance': '9',
      },
    };
    const refused = await agent
      .post(`/s/${token}/autosave`)
      .set('Accept', 'application/json')
      .send(body);
    expect(refused.status).toBe(403);
    const res = await agent
      .post(`/s/${token}/autosave`)
      .set('Accept', 'application/json')
      .set('x-csrf-token', csrf)
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body.saved).toBe(2);
    const [draft] = await draftsOf(id);
    expect(present(draft).values).toEqual({
      'impact:climate:significance': '4',
      'impact:waste:significance': 'dk',
    });
    const page = await agent.get(`/s/${token}?page=1`);
    expect(checkedOf(page.text)).toEqual({ 'impact:climate:significance': '4' });
  });

  it('stores the time answering, and none for a draft resumed after more than a day', async () => {
    const { id, tokens } = await survey({ count: 2 });
    const durations: (number | null)[] = [];
    const ids: string[] = [];
    for (const [i, token] of tokens.entries()) {
      const agent = request.agent(app);
      const location = await startSurvey(agent, token);
      const { review } = await answerAll(agent, token, location, () => '4');
      if (i === 1) {
        // Back-date the draft: it was started two days ago.
        const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
        await db()
          .collection('drafts')
          .updateMany({ assessmentId: id }, { $set: { startedAt: twoDaysAgo } });
      }
      expect((await submit(agent, token, csrfFrom(review.text))).status).toBe(303);
      const stored = await responsesOf(id);
      const seen = new Set(durations.map((_, k) => ids[k]));
      const added = present(stored.find((r) => !seen.has(String(r._id))));
      ids.push(String(added._id));
      durations.push(added.durationMs as number | null);
    }
    expect(durations[0]).toEqual(expect.any(Number));
    expect(durations[0]).toBeGreaterThanOrEqual(0);
    expect(durations[0]).toBeLessThan(60_000);
    expect(durations[1]).toBeNull();
  });
});
