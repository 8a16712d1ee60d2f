import type { QuestionInstrument, QuestionTopic } from '../../../src/responses/questionnaire';
import { fieldId } from '../../../src/surveys/pages/hrefs';
import { pageKeys, paginate, pickValues, resumePage } from '../../../src/surveys/pages/pagination';

const topic = (
  code: string,
  criteria: QuestionTopic['criteria'] = ['significance'],
): QuestionTopic => ({
  code,
  name: code,
  description: '',
  category: 'E',
  missingTranslation: false,
  criteria,
});
const instrument = (id: 'impact' | 'financial', n: number): QuestionInstrument => ({
  id,
  mode: id === 'impact' ? 'rating' : 'assessment',
  topics: Array.from({ length: n }, (_, i) =>
    topic(`t${i + 1}`, id === 'impact' ? ['significance'] : ['magnitude', 'likelihood']),
  ),
});

describe('paginate', () => {
  it.each([
    [1, [1]],
    [6, [6]],
    [7, [4, 3]],
    [18, [6, 6, 6]],
    [19, [5, 5, 5, 4]],
    [25, [5, 5, 5, 5, 5]],
  ])('splits %i topics into balanced pages of at most 6: %j', (n, sizes) => {
    expect(paginate([instrument('impact', n)]).map((p) => p.topics.length)).toEqual(sizes);
  });

  it('keeps each instrument on its own pages, numbered across both', () => {
    const pages = paginate([
      instrument('impact', 7),
      instrument('financial', 3),
      instrument('impact', 0),
    ]);
    expect(pages.map((p) => [p.number, p.instrument.id, p.topics.length, p.part, p.parts])).toEqual(
      [
        [1, 'impact', 4, 1, 2],
        [2, 'impact', 3, 1, 2],
        [3, 'financial', 3, 2, 2],
      ],
    );
    expect(pages.map(pageKeys)[2]).toEqual([
      'financial:t1:magnitude',
      'financial:t1:likelihood',
      'financial:t2:magnitude',
      'financial:t2:likelihood',
      'financial:t3:magnitude',
      'financial:t3:likelihood',
    ]);
  });
});

describe('resumePage', () => {
  const pages = paginate([instrument('impact', 12)]);
  it('is the first page with an unanswered item, or null (the review page) when all are answered', () => {
    const all = Object.fromEntries(pages.flatMap(pageKeys).map((k) => [k, '3']));
    expect(resumePage(pages, {})).toBe(1);
    expect(resumePage(pages, { ...all, 'impact:t8:significance': '' })).toBe(2);
    const { ['impact:t2:significance']: _, ...gap } = all;
    expect(resumePage(pages, gap)).toBe(1);
    expect(resumePage(pages, { ...all, 'impact:t1:significance': 'dk' })).toBeNull();
  });
});

describe('pickValues', () => {
  it('keeps only the asked keys with 1..5 or "dk"', () => {
    const keys = [
      'impact:a:significance',
      'impact:b:significance',
      'impact:c:significance',
      'impact:d:significance',
    ];
    const input = {
      'impact:a:significance': '5',
      'impact:b:significance': 'dk',
      'impact:c:significance': '6',
      'impact:d:significance': ['1'],
      'x.y': '1',
      $set: '1',
      _csrf: 'x',
    };
    expect(pickValues(keys, input)).toEqual({
      'impact:a:significance': '5',
      'impact:b:significance': 'dk',
    });
    expect(pickValues(keys, undefined)).toEqual({});
  });
});

describe('fieldId', () => {
  it('makes field keys into HTML ids', () => {
    expect(fieldId('impact:product-quality:significance')).toBe(
      'impact-product-quality-significance',
    );
  });
});
