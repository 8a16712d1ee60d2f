import request from 'supertest';
import { getStats } from '../../src/results/tallies/tally.service';
import { csrfFrom, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  answerAll,
  completeSurvey,
  completeSurveyFrom,
  draftsOf,
  fieldsOf,
  locationOf,
  patterned,
  present,
  responsesOf,
  startSurvey,
  submit,
  surveyOn,
} from './survey-pages.helpers';

// The questionnaire walked from intro to thanks, for each instrument.
// The questionnaire pages at /s/:token, driven as a browser without JavaScript would (see survey-pages.helpers.ts).

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const survey = surveyOn(app);

describe('questionnaire pages without JavaScript', () => {
  it('walks intro → pages → review → thanks and stores exactly one response with the answers given', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);

    const intro = await agent.get(`/s/${token}`).set('Accept-Language', 'en');
    expect(intro.status).toBe(200);
    expect(intro.text).toContain('<html lang="en">');
    expect(intro.text).toContain('DMA 2025');
    expect(intro.text).toContain('You are answering as: Users');
    expect(intro.text).toContain('Thank you for taking part'); // settings.intro
    expect(intro.text).toContain('We do not store your IP address'); // settings.privacy
    expect(intro.text).toContain('>Start<');
    expect(intro.text).not.toContain('/logout'); // no staff navigation

    const first = await agent
      .post(`/s/${token}/start`)
      .type('form')
      .send({ _csrf: csrfFrom(intro.text), lang: 'en' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/s/${token}?page=1`);

    const page1 = await agent.get(locationOf(first));
    expect(page1.status).toBe(200);
    expect(page1.text).toContain(
      'How significant is the company&#39;s impact on people and the environment for each topic?',
    );
    expect(page1.text).toContain('Page 1 of 4'); // 18 topics: 3 pages of 6, then the review
    expect(page1.text).toMatch(/<progress id="survey-progress" max="4" value="1">/);
    expect(page1.text).toContain('<label for="survey-progress">');
    expect(page1.text.match(/<fieldset class="topic"/g)).toHaveLength(6);
    expect(page1.text).toContain('Product and service quality');
    expect(page1.text).toContain('The quality, safety and reliability of products'); // definition
    expect(page1.text).toContain('Not significant');
    expect(page1.text).toContain('Very significant');
    expect(page1.text).toContain('value="dk"');
    expect(page1.text).toContain('name="switchLang" value="zh-Hant"');
    expect(page1.text).not.toMatch(/<script>|style="/); // CSP: no inline scripts or styles
    expect(page1.text).toContain('<script src="/static/js/survey.js" defer>');

    const pick = patterned();
    const { review, answered } = await answerAll(agent, token, locationOf(first), pick);
    expect(Object.keys(answered)).toHaveLength(18);
    expect(review.text).toContain('Check your answers');
    expect(review.text).toContain('You have answered 18 of 18 questions');
    expect(review.text).not.toContain('Not answered');

    const done = await submit(agent, token, csrfFrom(review.text));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/s/${token}/thanks?lang=en`);
    const thanks = await agent.get(locationOf(done));
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Your answers have been submitted');

    const stored = await responsesOf(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ group: 'users', kind: 'personal', lang: 'en' });
    expect(present(stored[0]).durationMs).toEqual(expect.any(Number));
    expect(present(stored[0]).answers).toHaveLength(18);
    for (const a of present(stored[0]).answers) {
      const v = answered[`impact:${a.topic}:significance`];
      expect(a.significance).toBe(v === 'dk' ? null : Number(v));
    }
    expect(await draftsOf(id)).toHaveLength(0);
  });

  it('stores "don\'t know" as null, never as a number', async () => {
    const { id, tokens } = await survey({ group: 'management' }); // financial: magnitude and likelihood
    const agent = request.agent(app);
    await completeSurvey(agent, tokens[0], (key) => (key.endsWith(':likelihood') ? 'dk' : '5'));
    const [stored] = await responsesOf(id);
    expect(present(stored).answers).toHaveLength(18);
    for (const a of present(stored).answers)
      expect(a).toEqual({
        instrument: 'financial',
        topic: expect.any(String),
        magnitude: 5,
        likelihood: null,
      });
    const stats = await getStats(id);
    expect(stats.tallies['product-quality']?.financial?.management).toMatchObject({
      n: 0,
      dontKnow: 1,
    });
  });

  it('labels the financial criteria and the likelihood end points', async () => {
    const { tokens } = await survey({ group: 'management' });
    const agent = request.agent(app);
    await startSurvey(agent, tokens[0]);
    const page = await agent.get(`/s/${tokens[0]}?page=1`).set('Accept-Language', 'en');
    expect(page.text).toContain(
      'How large and how likely are the financial effects of each topic on the company?',
    );
    expect(page.text).toContain('Magnitude');
    expect(page.text).toContain('Likelihood');
    expect(page.text).toContain('Very unlikely');
    expect(page.text).toContain('Almost certain');
    // One fieldset per topic, and one per criterion inside it.
    expect(page.text.match(/<fieldset class="topic"/g)).toHaveLength(6);
    expect(page.text.match(/<fieldset class="criterion"/g)).toHaveLength(12);
  });

  it('gives a group that takes both instruments the impact pages, then the financial pages', async () => {
    const { id, tokens } = await survey({
      group: 'board',
      before: async (api, id) => {
        const g = await api.post(`/api/v1/assessments/${id}/groups`, {
          code: 'board',
          name: { en: 'Board' },
          kind: 'internal',
          weight: 1,
          instruments: ['impact', 'financial'],
        });
        expect(g.status).toBe(201);
      },
    });
    const agent = request.agent(app);
    const location = await startSurvey(agent, tokens[0]);
    const page4 = await agent.get(`/s/${tokens[0]}?page=4`);
    expect(page4.text).toContain('Page 4 of 7');
    expect(page4.text).toContain('Part 2 of 2');
    expect(page4.text).toContain('How large and how likely are the financial effects');
    expect(fieldsOf(page4.text)[0]).toBe('financial:tech-inclusion:magnitude');
    await completeSurveyFrom(agent, tokens[0], location);
    const [stored] = await responsesOf(id);
    expect(present(stored).answers).toHaveLength(36);
    expect(present(stored).answers[18]).toEqual({
      instrument: 'financial',
      topic: 'tech-inclusion',
      magnitude: 4,
      likelihood: 4,
    });
  });
});
