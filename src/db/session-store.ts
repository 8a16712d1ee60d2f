import { MongoStore } from 'connect-mongo';
import type { SessionData } from 'express-session';
import type { Collection } from 'mongodb';

interface SessionDoc {
  _id: string;
  session: unknown;
  expires?: Date;
}

/**
 * connect-mongo reads a session with `{_id, $or: [expiry…]}`; on the embedded engine any filter
 * but `{_id}` scans the collection. We read by `_id` alone and check expiry here.
 */
export class IdOnlyMongoStore extends MongoStore {
  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    const self = this as unknown as {
      collectionP: Promise<Collection<SessionDoc>>;
      transformFunctions: { unserialize(x: unknown): SessionData };
      computeStorageId(sid: string): string;
    };
    (async () => {
      const coll = await self.collectionP;
      const doc = await coll.findOne({ _id: self.computeStorageId(sid) });
      if (!doc || (doc.expires && doc.expires <= new Date())) return null;
      return self.transformFunctions.unserialize(doc.session);
    })().then(
      (s) => callback(null, s),
      (err) => callback(err),
    );
  }
}

/** Periodic clean-up of expired sessions (autoRemove is disabled: no TTL indexes on the embedded engine). */
export async function purgeExpiredSessions(
  coll: Collection<SessionDoc>,
  now = new Date(),
): Promise<number> {
  const r = await coll.deleteMany({ expires: { $lt: now } });
  return r.deletedCount;
}
