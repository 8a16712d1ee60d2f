import mongoose from 'mongoose';
import { MongoBulkWriteError } from 'mongodb';
import { duplicateIndexes, failedDocuments } from '../../src/db/duplicates';
import { useTestDb } from '../helpers/db';

// What an unordered insertMany's error says was stored, from errors the driver really raises
// against the database (the lost-connection case is in test/results/tallies/move-outage.test.ts).

useTestDb();
const coll = () => mongoose.connection.collection<{ _id: string; v: number }>('dupcheck');

async function insertError(docs: { _id: string; v: number }[]): Promise<unknown> {
  try {
    await coll().insertMany(docs, { ordered: false });
  } catch (err) {
    return err;
  }
  throw new Error('expected insertMany to fail');
}

describe('duplicateIndexes', () => {
  it('names the documents refused as duplicates when every other one was inserted', async () => {
    await coll().insertMany([
      { _id: 'a', v: 1 },
      { _id: 'c', v: 1 },
    ]);
    const err = await insertError([
      { _id: 'a', v: 2 },
      { _id: 'b', v: 2 },
      { _id: 'c', v: 2 },
      { _id: 'd', v: 2 },
    ]);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(duplicateIndexes(err, 4)).toEqual(new Set([0, 2]));
    expect(await coll().countDocuments({ v: 2 })).toBe(2);
  });

  it('answers null when the error does not account for every document', async () => {
    const err = await insertError([
      { _id: 'a', v: 3 },
      { _id: 'e', v: 3 },
    ]);
    expect(duplicateIndexes(err, 2)).toEqual(new Set([0]));
    // The same error for a call of three documents: one is neither inserted nor a duplicate.
    expect(duplicateIndexes(err, 3)).toBeNull();
  });

  it('answers null for a bulk error without write errors (how the driver reports a lost connection)', () => {
    const lost = new MongoBulkWriteError(
      new Error('connection closed'),
      // The result the driver passes: nothing inserted, no write errors.
      {
        insertedCount: 0,
        getWriteErrors: () => [],
        getWriteConcernError: () => undefined,
      } as never,
    );
    expect(lost.writeErrors).toEqual([]);
    expect(duplicateIndexes(lost, 5)).toBeNull();
    expect(duplicateIndexes(new Error('anything'), 1)).toBeNull();
    expect(duplicateIndexes(null, 1)).toBeNull();
  });
});

describe('failedDocuments', () => {
  it('gives each refused document its code, so a document refused for another reason fails alone', async () => {
    await coll().insertOne({ _id: 'f1', v: 5 });
    const err = await insertError([
      { _id: 'f1', v: 6 },
      { _id: 'f2', v: 6 },
      { _id: 'f3', v: 6, $bad: 1 } as never,
    ]);
    const failed = failedDocuments(err, 3);
    expect(failed?.get(0)).toBe(11000);
    expect(failed?.has(1)).toBe(false);
    expect(failed?.get(2)).toEqual(expect.any(Number));
    expect(failed?.get(2)).not.toBe(11000);
    expect(duplicateIndexes(err, 3)).toBeNull();
    expect(await coll().countDocuments({ v: 6 })).toBe(1);
  });
});
