import type {
  Axis,
  Criteria,
  ImpactProfile,
  InstrumentMode,
  ScoringSettings,
  ScoringTopic,
} from '../scoring';

import type { FlagClass } from '../results/tallies/quality-flags';

export type { FlagClass };

/** What the analytics need of an assessment's set-up (plain data: no documents). */
export interface AnalyticsSetup {
  topics: (ScoringTopic & { impactProfile?: ImpactProfile })[];
  groups: { code: string; instruments: Axis[]; weight: number }[];
  modes: Record<Axis, InstrumentMode>;
  /** weights inside are the groups' weights */
  settings: ScoringSettings;
}

export type AnswerRecord = { instrument: Axis; topic: string } & Criteria;

/** One stored response as the analytics read it. */
export interface ResponseRecord {
  group: string;
  answers: AnswerRecord[];
  flags?: readonly FlagClass[];
}

/** The severity formulas of method sensitivity; `mean-max` is the one of dma-v1. */
export type SeverityFormula = 'mean' | 'max' | 'mean-max';
