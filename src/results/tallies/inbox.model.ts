import { Binary, BSON } from 'mongodb';
import mongoose from 'mongoose';
import type { ResponseDoc } from '../../responses/response.model';
import type { GroupIncrement } from './group-stats.model';

/**
 * A submission is stored by one insert into `inbox` (the commit point behind a 2xx), then moved to
 * `responses` and counted in batches by the instance that holds the counting lease. The inbox only
 * holds what is not counted yet, so finding unfinished work never scans the stored responses.
 * `nonce` tells a retried move of the same submission from another submission with the same id.
 */
export type InboxDoc = ResponseDoc & { nonce: string };

/**
 * What the inbox stores of an entry: the fields its reads filter on, and the rest packed as one
 * BSON binary. The embedded engine converts every field of every document it reads, inserts or
 * scans (and counting's `$in` delete scans the inbox); a 20-topic response's answers as
 * subdocuments cost about 6 times as much there as one binary (measured: reading 100 entries 87
 * against 14 ms of its CPU, inserting 12 at once 6.8 against 2.4 ms). `responses` keeps the plain form.
 */
export interface InboxRecord {
  _id: string;
  nonce: string;
  assessmentId: string;
  submittedAt: Date;
  packed: Binary;
}

/** An entry's identity: its id, and the nonce that tells two submissions with that id apart. */
export const entryKey = (e: { _id: unknown; nonce?: unknown }) =>
  `${String(e._id)}\n${String(e.nonce)}`;

export function packEntry(doc: InboxDoc): InboxRecord {
  const { _id, nonce, ...rest } = doc;
  const packed = new Binary(BSON.serialize(rest));
  return { _id, nonce, assessmentId: doc.assessmentId, submittedAt: doc.submittedAt, packed };
}

/**
 * The entry; its id and nonce are the record's own (the ones the unique key and the checks see).
 * An entry stored before entries were packed is the plain document.
 */
export function unpackEntry(r: InboxRecord): InboxDoc {
  if (!(r.packed instanceof Binary)) return r as unknown as InboxDoc;
  const rest = BSON.deserialize(r.packed.read(0, r.packed.length())) as Omit<
    InboxDoc,
    '_id' | 'nonce'
  >;
  return { ...rest, _id: r._id, nonce: r.nonce };
}

/** A batch being counted: written before any counter changes, deleted once all are applied. */
export interface BatchDoc {
  _id: string;
  at: Date;
  ids: string[]; // every inbox entry the batch takes out of the inbox (counted or duplicate)
  groups: {
    statsId: string;
    assessmentId: string;
    group: string;
    inc: GroupIncrement;
    /** the batch's answer block of this assessment, listed on this group's document */
    block?: string;
  }[];
}

export interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
  wanted?: string; // a rebuild asks the holder to let go
}

const collection = <T extends mongoose.mongo.Document>(name: string) =>
  mongoose.connection.collection<T>(name);
export const inboxCollection = () => collection<InboxRecord>('inbox');
export const batchesCollection = () => collection<BatchDoc>('tallybatches');
export const leasesCollection = () => collection<LeaseDoc>('leases');
