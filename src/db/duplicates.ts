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
  const failed = failedDocuments(err, count);
  if (!failed || [...failed.values()].some((code) => code !== 11000)) return null;
  return new Set(failed.keys());
}

/**
 * The documents of an unordered `insertMany` of `count` that the server refused, by index, with
 * the code of each refusal, when the error accounts for every document (each inserted or refused)
 * and carries no write concern error; null otherwise (nothing may then be assumed).
 */
export function failedDocuments(err: unknown, count: number): Map<number, number> | null {
  const e = err as {
    writeErrors?: unknown;
    insertedCount?: unknown;
    err?: unknown; // the driver's place for a write concern error
  } | null;
  if (!e || e.err || !Array.isArray(e.writeErrors) || e.writeErrors.length === 0) return null;
  const failed = e.writeErrors as { code?: unknown; index?: unknown }[];
  if (failed.some((f) => typeof f.code !== 'number' || typeof f.index !== 'number')) return null;
  if (typeof e.insertedCount !== 'number' || e.insertedCount + failed.length !== count) return null;
  return new Map(failed.map((f) => [f.index as number, f.code as number]));
}
