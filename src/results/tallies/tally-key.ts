import type { Instrument } from '../../assessments/model/assessment.types';
import type { Tally } from '../../scoring';

export type TallyField = keyof Tally;
export const TALLY_FIELDS: readonly TallyField[] = ['n', 'sum', 'sumSq', 'dontKnow'];

/** A tally counter's key in its group's document. */
export type TallyKey = `tally:${string}:${Instrument}:${TallyField}`;

/**
 * The one encoding of a tally counter: a flat top-level key `tally:<topic>:<axis>:<field>` in the
 * group's document (flat keys are cheaper for the embedded engine than nested paths). Topic codes
 * are letters, digits, `-` and `_`, so `:` separates unambiguously and no key has a dot or `$`.
 */
export function tallyKey(topic: string, axis: Instrument, field: TallyField): TallyKey {
  return `tally:${topic}:${axis}:${field}`;
}

/** The parts of a tally key, or undefined for any other key of the document. */
export function parseTallyKey(
  key: string,
): { topic: string; axis: Instrument; field: TallyField } | undefined {
  const parts = key.split(':');
  if (parts.length !== 4 || parts[0] !== 'tally') return undefined;
  const [, topic, axis, field] = parts as [string, string, string, string];
  if (
    (axis !== 'impact' && axis !== 'financial') ||
    !(TALLY_FIELDS as readonly string[]).includes(field)
  )
    return undefined;
  return { topic, axis, field: field as TallyField };
}
