import { ValidationError } from '../../shared/errors';

// How much one assessment may hold. The assessment is one document (topics, groups and the IRO
// register inside it), and a document is at most 16 MB: with every text at its maximum length a
// topic takes about 14 kB, so some 1,150 topics overflowed it (a BSON RangeError, a 500). The caps
// keep the largest possible document under a third of that, and each table readable on a page.
export const MAX_TOPICS = 200;
export const MAX_GROUPS = 50;
export const MAX_IROS = 500;

const over = (path: string, message: string) => new ValidationError([{ path, message }], message);

/** Refuses (422) a change that would leave more than MAX_TOPICS topics; `path` names the field. */
export function assertTopicCount(n: number, path = 'topics'): void {
  if (n > MAX_TOPICS) throw over(path, 'assess.tooManyTopics');
}

export function assertGroupCount(n: number, path = 'groups'): void {
  if (n > MAX_GROUPS) throw over(path, 'assess.tooManyGroups');
}

export function assertIroCount(n: number, path = 'iros'): void {
  if (n > MAX_IROS) throw over(path, 'assess.tooManyIros');
}
