import mongoose from 'mongoose';
import { ensureIndexes, SECONDARY_INDEXES } from '../../src/db/indexes';
import { useTestDb } from '../helpers/db';

useTestDb();

describe('secondary indexes for production', () => {
  it('creates every declared index, and creating them again changes nothing', async () => {
    const db = mongoose.connection.db!;
    await ensureIndexes(db);
    await ensureIndexes(db);
    for (const { collection, key } of SECONDARY_INDEXES) {
      const indexes = await db.collection(collection).indexes();
      expect(indexes.map((i) => i.key)).toContainEqual(key);
    }
  });
});
