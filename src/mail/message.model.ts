import mongoose from 'mongoose';

export type MessageKind = 'invitation' | 'reminder';
export type MessageStatus = 'queued' | 'sent' | 'failed';

/**
 * One e-mail to one invitee. Its `_id` is derived from the link, the kind and the round
 * (messageId), so queueing the same message twice, from two instances or after a crash, is a
 * duplicate-key error and never a second message.
 */
export interface MessageDoc {
  _id: string;
  assessmentId: string;
  linkId: string;
  group: string;
  kind: MessageKind;
  round: number;
  /** Emptied when the invitees' addresses are deleted (see deleteInvitees). */
  to: string;
  lang: string;
  subject: string;
  text: string;
  replyTo?: string;
  optOutUrl: string;
  status: MessageStatus;
  attempts: number;
  error?: string;
  createdAt: Date;
  /** Not before this time (a retry's back-off). */
  dueAt: Date;
  sentAt?: Date;
  /** The worker that is delivering it right now (a single-document claim). */
  sendingBy?: string;
  sendingSince?: Date;
  redactedAt?: Date;
}

export const messageId = (kind: MessageKind, linkId: string, round: number) =>
  kind === 'invitation' ? `inv:${linkId}` : `rem:${linkId}:${round}`;

export const messagesCollection = () => mongoose.connection.collection<MessageDoc>('messages');

export const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;
