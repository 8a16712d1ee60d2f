import { groupedInsert } from '../../db/grouped-insert';
import { responsesCollection } from '../../responses/response.model';
import { entryKey, inboxCollection, packEntry, type InboxDoc } from './inbox.model';

/**
 * The writes of a submission, each sent together with concurrent ones (db/grouped-insert.ts). The
 * inbox insert is the commit point; a single-use id (a personal link's, a client's submissionId)
 * then moves its entry to `responses` itself, ahead of counting: that insert is the check that no
 * other submission holds the id, and being a write it is grouped too (a read of `responses` would
 * cost one command per submission: the embedded engine has no batched primary-key read).
 */
const insertRecord = groupedInsert(inboxCollection, 'inbox.beforeWrite');
export const insertIntoInbox = (doc: InboxDoc) => insertRecord(packEntry(doc));
const insertIntoResponses = groupedInsert(responsesCollection, 'responses.beforeWrite');

/**
 * Entries this process moved ahead, so that counting does not move them again (a move of an entry
 * already in `responses` costs a read to tell it from another submission). Bounded: an entry that
 * another instance counts is forgotten after MOVED_KEPT newer ones, and a forgotten one only costs
 * counting that read.
 */
const MOVED_KEPT = 20_000;
const movedAhead = new Set<string>();

/** Entries whose submission is about to move them: counting leaves them in the inbox meanwhile. */
const moving = new Set<string>();

/**
 * Keeps counting off the entry until the returned release is called: otherwise, under load, a
 * round started by another submission takes the entry between its insert and its move, and then
 * the move and counting each find the other's copy and need a read to tell it is the same one.
 */
export function holdForMove(e: { _id: string; nonce: string }): () => void {
  const key = entryKey(e);
  moving.add(key);
  return () => moving.delete(key);
}

/** Whether counting must leave this entry for now (holdForMove). */
export const heldForMove = (e: { _id: string; nonce: string }) => moving.has(entryKey(e));

/** Whether this process moved the entry to `responses` already. */
export const movedAheadHere = (e: { _id: string; nonce: string }) => movedAhead.has(entryKey(e));

/**
 * Forgets entries counting has finished with. Not before: a round that stops after its move (a
 * lost lease, a failure) leaves them for the next one, which must still know.
 */
export function forgetMovedAhead(entries: readonly { _id: string; nonce: string }[]): void {
  for (const e of entries) movedAhead.delete(entryKey(e));
}

/**
 * Moves a single-use entry, already in the inbox, to `responses`: 'stored' when it is there now
 * (by this insert, or by counting first), 'taken' when another submission holds the id.
 */
export async function storeAhead(e: InboxDoc): Promise<'stored' | 'taken'> {
  if ((await insertIntoResponses(e)) === 'inserted') {
    movedAhead.add(entryKey(e));
    if (movedAhead.size > MOVED_KEPT) movedAhead.delete(movedAhead.values().next().value!);
    return 'stored';
  }
  const prior = await responsesCollection().findOne({ _id: e._id }, { projection: { nonce: 1 } });
  return (prior as { nonce?: string } | null)?.nonce === e.nonce ? 'stored' : 'taken';
}
