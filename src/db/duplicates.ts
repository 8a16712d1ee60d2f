/**
 * Which documents of an unordered `insertMany` of `count` documents were refused only because their
 * `_id` was taken (their indexes in the call), or null when the error says anything else, so the
 * caller must rethrow it and assume nothing about what was stored.
 *
 * The driver reports a lost connection or a dead server during `insertMany` as a
 * `MongoBulkWriteError` with an empty `writeErrors` list. Reading that list alone as "every
 * failure was a duplicate" takes a write that never reached the database for one that did: the
 * counter then counted, and deleted from its inbox, responses that were never stored (measured in
 * the load test with a killed database). So every document must be accounted for: inserted, or
 * refused as a duplicate.
 */
export function duplicateIndexes(err: unknown, count: number): Set<number> | null {
  const e = err as {
    writeErrors?: unknown;
    insertedCount?: unknown;
  } | null;
  if (!e || !Array.isArray(e.writeErrors) || e.writeErrors.length === 0) return null;
  const failed = e.writeErrors as { code?: unknown; index?: unknown }[];
  if (failed.some((f) => f.code !== 11000 || typeof f.index !== 'number')) return null;
  if (typeof e.insertedCount !== 'number' || e.insertedCount + failed.length !== count) return null;
  return new Set(failed.map((f) => f.index as number));
}
