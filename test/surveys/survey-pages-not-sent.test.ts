import request from 'supertest';
import { armFault, disarmFaults } from '../../src/db/faults';
import { csrfFrom, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import { answerAll, responsesOf, startSurvey, surveyOn } from './survey-pages.helpers';

// A submission that fails before anything is stored: the review page comes back with "not sent",
// the answers still there (they are in the draft) and the same submission id, in each language.

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const survey = surveyOn(app);
afterEach(() => disarmFaults());

const submissionIdOf = (html: string) =>
  /name="submissionId" value="([0-9a-f-]{36})"/.exec(html)?.[1];

describe('a failed submission', () => {
  it.each([
    ['en', 'Not sent', 'They are kept'],
    ['zh-Hant', '未能提交', '已經保留'],
    ['zh-Hans', '未能提交', '已经保留'],
  ])(
    'in %s: says "not sent", keeps the answers, and the retry of the same form stores one response',
    async (lang, title, kept) => {
      const { id, tokens } = await survey({ kind: 'open' });
      const [token] = tokens;
      const agent = request.agent(app);
      const { review } = await answerAll(
        agent,
        token,
        await startSurvey(agent, token, { 'Accept-Language': lang }),
        () => '3',
      );
      const submissionId = submissionIdOf(review.text);
      expect(submissionId).toBeDefined();
      const form = { _csrf: csrfFrom(review.text), lang, submissionId };

      armFault('submit.beforeInsert');
      const failed = await agent.post(`/s/${token}/submit`).type('form').send(form);
      expect(failed.status).toBe(503);
      expect(failed.text).toContain(title);
      expect(failed.text).toContain(kept);
      // Every answer is still shown (none "not answered"), as on the review page before the failure.
      const answered = (html: string) =>
        (html.match(/class="review-answer"/g) ?? []).length -
        (html.match(/class="review-missing"/g) ?? []).length;
      expect(answered(failed.text)).toBe(answered(review.text));
      expect(answered(failed.text)).toBeGreaterThan(10);
      expect(submissionIdOf(failed.text)).toBe(submissionId); // the retry is the same submission
      expect(await responsesOf(id)).toHaveLength(0);

      const retried = await agent
        .post(`/s/${token}/submit`)
        .type('form')
        .send({ ...form, _csrf: csrfFrom(failed.text) });
      expect(retried.status).toBe(303);
      const again = await agent
        .post(`/s/${token}/submit`)
        .type('form')
        .send({ ...form, _csrf: csrfFrom(failed.text) });
      expect(again.status).toBe(303); // the same form again: already stored, on to the thanks
      const stored = await responsesOf(id);
      expect(stored).toHaveLength(1);
      expect(stored[0]?.answers[0]?.significance).toBe(3);
    },
  );
});
