import request from 'supertest';
import { csrfFrom, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';
import {
  answerAll,
  answerPage,
  checkedOf,
  locationOf,
  present,
  responsesOf,
  startSurvey,
  submit,
  surveyOn,
} from './survey-pages.helpers';

// The questionnaire in each language, switching language, and missing translations.
// The questionnaire pages at /s/:token, driven as a browser without JavaScript would (see survey-pages.helpers.ts).

useTestDb();
const app = makeApp({ SUBMIT_MAX_PER_MINUTE: '1000' });
const survey = surveyOn(app);

describe('languages', () => {
  it.each([
    [
      'zh-HK',
      'zh-Hant',
      ['持份者', '用戶', '開始', '私隱聲明'],
      ['產品與服務質量', '第 1 頁，共 4 頁', '重大程度', '並不重大', '不知道'],
    ],
    [
      'zh-CN',
      'zh-Hans',
      ['利益相关方', '用户', '开始', '隐私声明'],
      ['产品与服务质量', '第 1 页，共 4 页', '重大程度', '并不重大', '不知道'],
    ],
    [
      'en-GB',
      'en',
      ['Users', 'Start', 'Privacy notice'],
      [
        'Product and service quality',
        'Page 1 of 4',
        'Significance',
        'Not significant',
        'Don&#39;t know',
      ],
    ],
  ])(
    'renders the intro and a topic page in the language of %s',
    async (header, lang, introStrings, pageStrings) => {
      const { tokens } = await survey();
      const agent = request.agent(app);
      const intro = await agent.get(`/s/${tokens[0]}`).set('Accept-Language', header);
      expect(intro.text).toContain(`<html lang="${lang}">`);
      for (const s of introStrings) expect(intro.text).toContain(s);
      const page = await agent.get(`/s/${tokens[0]}?page=1`).set('Accept-Language', header);
      expect(page.text).toContain(`<html lang="${lang}">`);
      for (const s of pageStrings) expect(page.text).toContain(s);
    },
  );

  it('keeps the answers when the language is switched mid-questionnaire, and remembers the choice', async () => {
    const { id, tokens } = await survey();
    const [token] = tokens;
    const agent = request.agent(app);
    await startSurvey(agent, token, { 'Accept-Language': 'en' });
    const { res } = await answerPage(agent, token, 1, () => '2', { switchLang: 'zh-Hans' });
    expect(res.headers.location).toBe(`/s/${token}?page=1&lang=zh-Hans`);
    const switched = await agent.get(locationOf(res));
    expect(switched.text).toContain('<html lang="zh-Hans">');
    expect(switched.text).toContain('就每项议题而言');
    expect(Object.values(checkedOf(switched.text))).toEqual(Array(6).fill('2'));

    // Another browser resumes the personal link in the remembered language.
    const elsewhere = await request(app).get(`/s/${token}?page=1`).set('Accept-Language', 'en');
    expect(elsewhere.text).toContain('<html lang="zh-Hans">');

    const { review } = await answerAll(agent, token, `/s/${token}?page=2`, () => '2');
    expect(review.text).toContain('<html lang="zh-Hans">');
    expect((await submit(agent, token, csrfFrom(review.text))).status).toBe(303);
    const [stored] = await responsesOf(id);
    expect(present(stored).lang).toBe('zh-Hans');
    expect(
      present(stored).answers.every((a: { significance: number }) => a.significance === 2),
    ).toBe(true);
  });

  it('marks topics shown in English because the translation is missing', async () => {
    const { tokens } = await survey({
      before: async (api, id) => {
        const t = await api.post(`/api/v1/assessments/${id}/topics`, {
          code: 'water',
          name: { en: 'Water stewardship' },
          description: { en: 'Use of water.' },
          category: 'E',
        });
        expect(t.status).toBe(201);
      },
    });
    const agent = request.agent(app);
    await startSurvey(agent, tokens[0], { 'Accept-Language': 'zh-HK' });
    // 19 topics: four balanced pages (5, 5, 5, 4); the new topic is last.
    const page = await agent.get(`/s/${tokens[0]}?page=4`);
    expect(page.text).toContain('第 4 頁，共 5 頁');
    expect(page.text.match(/<fieldset class="topic"/g)).toHaveLength(4);
    expect(page.text).toContain('<span lang="en">Water stewardship</span>');
    expect(page.text).toContain('lang="en">Use of water.</p>');
    expect(page.text.match(/class="missing-translation">只有英文版本</g)).toHaveLength(1);
    const en = await agent.get(`/s/${tokens[0]}?page=4&lang=en`);
    expect(en.text).not.toContain('missing-translation');
  });
});
