import type { Collection, Document } from 'mongodb';
import { failedDocuments } from './duplicates';
import { hookPoint } from './faults';

/**
 * Group commit. An insert that arrives while another of the same collection is under way waits for
 * it and then goes with every other one that waited, as one unordered `insertMany`: under load many
 * requests share one command and one fsync (the embedded engine runs one command at a time, and a
 * write costs more there than a primary-key read). When nothing is under way a document goes at
 * once, so a lone request waits for nothing. Each document is still inserted atomically on its own,
 * and each caller learns only its own outcome: 'duplicate' when its `_id` is taken.
 */
const MAX_DOCS = 200;

export type InsertOutcome = 'inserted' | 'duplicate';

interface Waiting<T> {
  doc: T;
  resolve: (outcome: InsertOutcome) => void;
  reject: (err: unknown) => void;
}

/** An insert function for one collection; `hook` names the test seam before each write. */
export function groupedInsert<T extends Document>(
  collection: () => Collection<T>,
  hook: string,
): (doc: T) => Promise<InsertOutcome> {
  let queue: Waiting<T>[] = [];
  let writing = false;

  /**
   * One `insertMany`. When the server accounts for every document, each caller gets its own
   * verdict (a document refused for another reason than a taken `_id` fails its caller only).
   * Anything else (a lost connection, a dead database) fails every caller of the group: none may
   * answer 2xx, since nothing says which documents reached the database (duplicates.ts).
   */
  async function writeGroup(group: Waiting<T>[]): Promise<void> {
    try {
      await hookPoint(hook);
      // The cast: insertMany's parameter type is the "optional _id" form of T, which T satisfies.
      await collection().insertMany(group.map((w) => w.doc) as never, { ordered: false });
      for (const w of group) w.resolve('inserted');
    } catch (err) {
      const failed = failedDocuments(err, group.length);
      group.forEach((w, i) => {
        if (!failed) return w.reject(err); // a lost connection is a 503 (shared/errors.ts)
        const code = failed.get(i);
        if (code === undefined) w.resolve('inserted');
        else if (code === 11000) w.resolve('duplicate');
        else w.reject(err);
      });
    }
  }

  async function writeAll(): Promise<void> {
    writing = true;
    try {
      while (queue.length) {
        const group = queue.slice(0, MAX_DOCS);
        queue = queue.slice(MAX_DOCS);
        await writeGroup(group);
      }
    } finally {
      writing = false;
    }
  }

  return (doc) =>
    new Promise<InsertOutcome>((resolve, reject) => {
      queue.push({ doc, resolve, reject });
      if (!writing) void writeAll();
    });
}
