import { Draft } from './draft.model';

export const DRAFT_MAX_AGE_DAYS = 90;

/** Background clean-up of questionnaire drafts nobody touched for DRAFT_MAX_AGE_DAYS (never on a request path). */
export async function purgeStaleDrafts(now = new Date()): Promise<number> {
  const cutoff = new Date(+now - DRAFT_MAX_AGE_DAYS * 864e5);
  const r = await Draft.deleteMany({ updatedAt: { $lt: cutoff } });
  return r.deletedCount ?? 0;
}
