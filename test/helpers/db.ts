import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { connectMongoose } from '../../src/db/database';
import { settleCounting } from '../../src/results/tallies/counter';

/** Connects mongoose to a fresh database for this test file and drops it afterwards. */
export function useTestDb(): { name: string } {
  const state = {
    name: `t${process.env.JEST_WORKER_ID ?? '0'}_${crypto.randomBytes(4).toString('hex')}`,
  };
  beforeAll(async () => {
    await connectMongoose(process.env.TEST_MONGODB_URI!, state.name);
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return state;
}

export async function clearCollections(...names: string[]) {
  for (const n of names) await mongoose.connection.collection(n).deleteMany({});
}

/**
 * An assessment's stored responses. A 2xx stores a submission in the inbox; counting moves it to
 * `responses` in the background, so the read first counts what waits (as every counter read does).
 */
export async function storedResponses(assessmentId: string) {
  await settleCounting();
  return mongoose.connection.collection('responses').find({ assessmentId }).toArray();
}

export async function storedResponseCount(assessmentId: string): Promise<number> {
  await settleCounting();
  return mongoose.connection.collection('responses').countDocuments({ assessmentId });
}
