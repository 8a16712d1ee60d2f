import mongoose from 'mongoose';

/**
 * How many times the assessments collection is read while `fn` runs. Mongoose's debug hook sees
 * every query it sends, so this counts reads without replacing anything.
 */
export async function assessmentReads(fn: () => Promise<unknown>): Promise<number> {
  let reads = 0;
  mongoose.set('debug', (collection: string, method: string) => {
    if (collection === 'assessments' && method.startsWith('find')) reads++;
  });
  try {
    await fn();
  } finally {
    mongoose.set('debug', false);
  }
  return reads;
}
