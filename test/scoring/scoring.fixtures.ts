/** Builders shared by the scoring tests. Tallies are built through tallyDelta/addTally, the real path. */
import {
  addTally,
  emptyTally,
  resolveSettings,
  tallyDelta,
  type Axis,
  type ScoringGroup,
  type ScoringInput,
  type ScoringSettings,
  type ScoringTopic,
  type SettingsPatch,
  type Tally,
} from '../../src/scoring';

/** The tally the `$inc` path would hold after these respondent scores arrived, in this order. */
export function tallyFrom(xs: readonly (number | null)[]): Tally {
  let t = emptyTally();
  for (const x of xs) t = addTally(t, tallyDelta(x));
  return t;
}

/** groupCode -> respondent scores, as tallies. */
export function talliesFrom(byGroup: Record<string, (number | null)[]>): Record<string, Tally> {
  return Object.fromEntries(Object.entries(byGroup).map(([code, xs]) => [code, tallyFrom(xs)]));
}

export function group(code: string, ...instruments: Axis[]): ScoringGroup {
  return { code, instruments };
}

export function topic(code: string, category: 'E' | 'S' | 'G' = 'E'): ScoringTopic {
  return { code, name: { en: `Topic ${code}` }, category };
}

export function settings(patch: SettingsPatch = {}): ScoringSettings {
  return resolveSettings(patch);
}

/** topicCode -> axis -> groupCode -> respondent scores. */
export type Answers = Record<string, Partial<Record<Axis, Record<string, (number | null)[]>>>>;

export function inputFrom(
  topics: ScoringTopic[],
  groups: ScoringGroup[],
  answers: Answers,
  patch: SettingsPatch = {},
): ScoringInput {
  const tallies: ScoringInput['tallies'] = Object.fromEntries(
    Object.entries(answers).map(([code, axes]) => [
      code,
      Object.fromEntries(
        Object.entries(axes).map(([axis, byGroup]) => [axis, talliesFrom(byGroup ?? {})]),
      ),
    ]),
  );
  return { topics, groups, tallies, settings: settings(patch) };
}
