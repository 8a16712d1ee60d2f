import type { Db } from 'mongodb';

/**
 * The secondary indexes production needs for the paths that filter rather than read by `_id`: the
 * jobs that read one assessment's responses (export, rebuild), the staff pages that list an
 * assessment's links, the periodic clean-ups by expiry, and a user's tokens. Request paths of
 * respondents read by `_id` only and need none. On the embedded engine an index is harmless: its
 * queries scan in Go whatever indexes exist (see README, "The embedded database").
 */
export const SECONDARY_INDEXES: readonly { collection: string; key: Record<string, 1> }[] = [
  { collection: 'responses', key: { assessmentId: 1 } },
  { collection: 'links', key: { assessmentId: 1, group: 1, createdAt: 1, seq: 1 } },
  { collection: 'drafts', key: { updatedAt: 1 } },
  { collection: 'ratelimits', key: { resetAt: 1 } },
  { collection: 'sessions', key: { expires: 1 } },
  { collection: 'apitokens', key: { userId: 1 } },
];

/** Creates the indexes that are missing (createIndex is a no-op for one that exists). */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const { collection, key } of SECONDARY_INDEXES)
    await db.collection(collection).createIndex(key);
}
