import mongoose from 'mongoose';
import { percentile, summary, timeEach } from './stats';

const BATCH = 1000;

async function fill(coll: mongoose.mongo.Collection, n: number) {
  for (let i = 0; i < n; i += BATCH) {
    const docs = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++)
      docs.push({
        _id: `d${j}` as unknown as mongoose.mongo.BSON.ObjectId,
        n: 0,
        payload: 'x'.repeat(100),
      });
    await coll.insertMany(docs, { ordered: false });
  }
}

/** Primary-key read and update rates, and updateOne({_id}) latency at 100 vs 100,000 documents. */
export async function databaseBench(log: (s: string) => void): Promise<{ updateRate: number }> {
  const db = mongoose.connection.db!;
  const small = db.collection('bench_small');
  const large = db.collection('bench_large');
  await small.drop().catch(() => undefined);
  await large.drop().catch(() => undefined);

  await fill(small, 100);
  const t0 = Date.now();
  await fill(large, 100_000);
  const insertSecs = (Date.now() - t0) / 1000;
  log(
    `database: inserted 100,000 documents in ${insertSecs.toFixed(1)} s (${Math.round(100_000 / insertSecs)} docs/s, batches of ${BATCH})`,
  );

  const N = 1000;
  const reads = await timeEach(N, (i) => large.findOne({ _id: `d${(i * 97) % 100_000}` as never }));
  const readRate = N / (reads.reduce((a, b) => a + b, 0) / 1000);
  const updates = await timeEach(N, (i) =>
    large.updateOne({ _id: `d${(i * 89) % 100_000}` as never }, { $inc: { n: 1 } }),
  );
  const updateRate = N / (updates.reduce((a, b) => a + b, 0) / 1000);
  log(
    `database: sequential _id reads ${Math.round(readRate)}/s, _id updates ${Math.round(updateRate)}/s`,
  );

  const at100 = await timeEach(500, (i) =>
    small.updateOne({ _id: `d${i % 100}` as never }, { $inc: { n: 1 } }),
  );
  const at100k = await timeEach(500, (i) =>
    large.updateOne({ _id: `d${(i * 197) % 100_000}` as never }, { $inc: { n: 1 } }),
  );
  const ratio = percentile(at100k, 50) / percentile(at100, 50);
  log(`database: updateOne({_id}) at 100 docs: ${summary(at100)}`);
  log(`database: updateOne({_id}) at 100,000 docs: ${summary(at100k)}`);
  log(`database: median ratio 100,000 / 100 = ${ratio.toFixed(2)} (target <= 1.5)`);
  await small.drop();
  await large.drop();
  return { updateRate };
}
