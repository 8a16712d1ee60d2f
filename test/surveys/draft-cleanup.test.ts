import { Draft } from '../../src/surveys/draft.model';
import { purgeStaleDrafts } from '../../src/surveys/draft-cleanup';
import { useTestDb } from '../helpers/db';

useTestDb();

describe('draft clean-up', () => {
  it('removes drafts untouched for 90 days and keeps recent ones', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const day = 864e5;
    await Draft.collection.insertMany([
      {
        _id: 'd_old',
        assessmentId: 'a',
        values: {},
        lang: 'en',
        startedAt: new Date(+now - 200 * day),
        updatedAt: new Date(+now - 91 * day),
      },
      {
        _id: 'd_new',
        assessmentId: 'a',
        values: {},
        lang: 'en',
        startedAt: new Date(+now - 200 * day),
        updatedAt: new Date(+now - 89 * day),
      },
    ] as never[]);
    expect(await purgeStaleDrafts(now)).toBe(1);
    expect(await Draft.findById('d_old').lean()).toBeNull();
    expect(await Draft.findById('d_new').lean()).not.toBeNull();
  });
});
