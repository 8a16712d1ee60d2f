import request from 'supertest';
import { getStats } from '../../src/results/tallies/tally.service';
import { csrfFrom, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  answerAll,
  answerPage,
  completeSurvey,
  draftsOf,
  idOf,
  pageOf,
  responsesOf,
  startSurvey,
  submit,
  surveyOn,
} from './survey-pages.helpers';

// The final submission: open and personal links, missing answers, races, rate limit, CSRF.
// The questionnaire pages at /s/:token, driven as a browser without JavaScript would (see survey-pages.helpers.ts).

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const survey = surveyOn(app);

describe('submission', () => {
  it('accepts several submissions through an open link', async () => {
    const { id, tokens } = await survey({ kind: 'open' });
    const [token] = tokens;
    const one = request.agent(app);
    await completeSurvey(one, token, () => '2');
    await completeSurvey(one, token, () => '3'); // the same browser again: a fresh start
    await completeSurvey(request.agent(app), token, () => '4');
    const stored = await responsesOf(id);
    expect(stored).toHaveLength(3);
    expect(stored.map((r) => r.answers[0].significance).sort()).toEqual([2, 3, 4]);
    expect(stored.every((r) => r.kind === 'open')).toBe(true);
  });

  it('re-renders the review page with 422 and a linked error summary when answers are missing, storing nothing', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    const location = await startSurvey(agent, token);
    await answerPage(agent, token, pageOf(location), () => '3');
    // Page 2: everything but its second topic.
    const { fields } = await answerPage(agent, token, 2, (k) =>
      k.includes(':waste:') ? undefined : '4',
    );
    expect(fields[1]).toBe('impact:waste:significance');

    const review = await agent.get(`/s/${token}/review`);
    expect(review.text).toContain('Not answered');
    const res = await submit(agent, token, csrfFrom(review.text));
    expect(res.status).toBe(422);
    expect(res.text).toContain('class="error-summary"');
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain(
      `href="/s/${token}?page=2#impact-waste-significance">Waste management – Significance</a>`,
    );
    expect(res.text).toContain(
      `href="/s/${token}?page=3#${idOf('impact:stakeholder-engagement:significance')}"`,
    );
    expect(res.text.match(/<li><a href="\/s\//g)).toHaveLength(1 + 6); // waste, and all of page 3
    expect(await responsesOf(id)).toHaveLength(0);
    expect(await draftsOf(id)).toHaveLength(1);

    // The link lands on the field: the first radio of the group carries the field's id.
    const page2 = await agent.get(`/s/${token}?page=2`);
    expect(page2.text).toContain(
      'id="impact-waste-significance" name="impact:waste:significance" value="1"',
    );
  });

  it('accepts one submission per personal link: a second attempt shows "already submitted" and changes nothing', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    const location = await startSurvey(agent, token);
    const { review } = await answerAll(agent, token, location, () => '4');
    const csrf = csrfFrom(review.text);
    expect((await submit(agent, token, csrf)).status).toBe(303);

    const again = await submit(agent, token, csrf);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Already submitted');
    expect(again.text).toContain('has already been submitted with this link');
    for (const path of [`/s/${token}`, `/s/${token}?page=1`, `/s/${token}/review`]) {
      const page = await request(app).get(path).set('Accept-Language', 'en');
      expect(page.status).toBe(200);
      expect(page.text).toContain('has already been submitted with this link');
    }
    const blocked = await request.agent(app).get(`/s/${token}`);
    expect(blocked.text).not.toContain('name="_csrf"'); // no form to fill in again
    expect(await responsesOf(id)).toHaveLength(1);
    expect(await draftsOf(id)).toHaveLength(0);
    expect((await getStats(id)).responses.total).toBe(1);
  });

  it('stores exactly one response when two final POSTs race', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    const { review } = await answerAll(agent, token, await startSurvey(agent, token), () => '5');
    const csrf = csrfFrom(review.text);
    const results = await Promise.all([submit(agent, token, csrf), submit(agent, token, csrf)]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await responsesOf(id)).toHaveLength(1);
    expect((await getStats(id)).responses.total).toBe(1);
  });

  it('limits submissions through an open link per minute', async () => {
    const limited = makeApp({ SUBMIT_MAX_PER_MINUTE: '1' });
    const { id, tokens } = await survey({ kind: 'open' });
    const agent = request.agent(limited);
    const location = await startSurvey(agent, tokens[0]);
    const { review } = await answerAll(agent, tokens[0], location, () => '3');
    expect((await submit(agent, tokens[0], csrfFrom(review.text))).status).toBe(303);
    const { review: second } = await answerAll(
      agent,
      tokens[0],
      await startSurvey(agent, tokens[0]),
      () => '3',
    );
    const res = await submit(agent, tokens[0], csrfFrom(second.text));
    expect(res.status).toBe(429);
    expect(res.text).toContain('Too many submissions from this device');
    expect(await responsesOf(id)).toHaveLength(1);
  });

  it('refuses a page post without the CSRF token', async () => {
    const { id, tokens } = await survey();
    const agent = request.agent(app);
    await agent.get(`/s/${tokens[0]}`);
    const res = await agent
      .post(`/s/${tokens[0]}`)
      .type('form')
      .send({ page: '1', 'impact:climate:significance': '3' });
    expect(res.status).toBe(403);
    expect(await draftsOf(id)).toHaveLength(0);
  });
});
