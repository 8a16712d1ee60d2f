import mongoose from 'mongoose';
import type { MessageKind } from './message.model';

export interface TemplateText {
  subject: string;
  body: string;
}

/** Per assessment (`_id` is its id): what goes into its messages and when reminders go out. */
export interface MailSetupDoc {
  _id: string;
  organisation?: string;
  /** The closing date shown in messages, YYYY-MM-DD. */
  deadline?: string;
  replyTo?: string;
  /** Edited templates by kind and language; a missing one is the default of mail.locales.ts. */
  templates?: Partial<Record<MessageKind, Partial<Record<string, TemplateText>>>>;
  schedule?: { enabled: boolean; everyDays: number; maxReminders: number };
  updatedAt?: Date;
}

export const mailSetupCollection = () => mongoose.connection.collection<MailSetupDoc>('mailsetup');

export async function loadMailSetup(assessmentId: string): Promise<MailSetupDoc> {
  return (await mailSetupCollection().findOne({ _id: assessmentId })) ?? { _id: assessmentId };
}
