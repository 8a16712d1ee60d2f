import { TtlCache } from '../shared/ttl-cache';
import { linksCollection, type LinkDoc } from './link.model';

// An open link serves thousands of submissions: like the assessment, it is cached for a moment per
// instance (a revocation through this instance applies at once, elsewhere within two seconds).
const cache = new TtlCache<LinkDoc>(2000);

/** A link by token: open links from the cache, personal ones always read (their state changes). */
export async function cachedLink(token: string): Promise<LinkDoc | null> {
  const hit = cache.get(token);
  if (hit) return hit;
  const doc = await linksCollection().findOne({ _id: token }); // native read: no mongoose casting on the hot path
  if (doc?.kind === 'open') cache.set(token, doc);
  return doc;
}

export function forgetLink(token: string): void {
  cache.delete(token);
}
