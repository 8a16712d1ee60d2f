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
export const inboxCollection = () => collection<InboxDoc>('inbox');
export const batchesCollection = () => collection<BatchDoc>('tallybatches');
export const leasesCollection = () => collection<LeaseDoc>('leases');
