import type { Instrument } from '../../assessments/model/assessment.types';
import type { FlagClass } from './quality-flags';
import { TALLY_FIELDS, type TallyField } from './tally-key';

/**
 * The flag sets whose contributions each group document keeps: every response flagged
 * straight-lining (`sl`), every one flagged speeder (`sp`) and every one flagged both (`slsp`).
 * Excluding one class subtracts its set; excluding both subtracts sl and sp and adds slsp back.
 */
export type FlagSet = 'sl' | 'sp' | 'slsp';

/** `flag:<set>:<topic>:<axis>:<field>`, or `flag:<set>:responses` for the count of responses. */
export type FlagKey = `flag:${FlagSet}:${string}`;
/** `dur:<bucket>`: how many responses of the group took a completion time in that bucket. */
export type DurationKey = `dur:${number}`;

export const flagTallyKey = (set: FlagSet, topic: string, axis: Instrument, field: TallyField) =>
  `flag:${set}:${topic}:${axis}:${field}` as FlagKey;
export const flagCountKey = (set: FlagSet) => `flag:${set}:responses` as FlagKey;
export const durationKey = (bucket: number): DurationKey => `dur:${bucket}`;

/** The sets one response belongs to. */
export function flagSetsOf(flags: readonly FlagClass[] | undefined): FlagSet[] {
  const sl = flags?.includes('straightLining') ?? false;
  const sp = flags?.includes('speeder') ?? false;
  const sets: FlagSet[] = [];
  if (sl) sets.push('sl');
  if (sp) sets.push('sp');
  if (sl && sp) sets.push('slsp');
  return sets;
}

const SETS: readonly string[] = ['sl', 'sp', 'slsp'];

export type ParsedQualityKey =
  | { kind: 'count'; set: FlagSet }
  | { kind: 'tally'; set: FlagSet; topic: string; axis: Instrument; field: TallyField }
  | { kind: 'duration'; bucket: number };

/** The parts of a flag or duration key, or undefined for any other key. */
export function parseQualityKey(key: string): ParsedQualityKey | undefined {
  const parts = key.split(':');
  if (parts[0] === 'dur' && parts.length === 2) {
    const bucket = Number(parts[1]);
    return Number.isInteger(bucket) && bucket >= 0 ? { kind: 'duration', bucket } : undefined;
  }
  if (parts[0] !== 'flag' || !SETS.includes(parts[1] ?? '')) return undefined;
  const set = parts[1] as FlagSet;
  if (parts.length === 3 && parts[2] === 'responses') return { kind: 'count', set };
  if (parts.length !== 5) return undefined;
  const [, , topic, axis, field] = parts as [string, string, string, string, string];
  if (axis !== 'impact' && axis !== 'financial') return undefined;
  if (!(TALLY_FIELDS as readonly string[]).includes(field)) return undefined;
  return { kind: 'tally', set, topic, axis, field: field as TallyField };
}
