/** Shapes shared by the scoring core (methodology `dma-v1`). Plain data only: no documents, no I/O. */

export type Axis = 'impact' | 'financial';

/** Each instrument scores exactly one axis, and its id is the axis name. */
export const AXES: readonly Axis[] = Object.freeze(['impact', 'financial'] as const);

export type InstrumentMode = 'rating' | 'assessment';

/** Set per topic by the ESG team in `assessment` mode; respondents are never asked for it. */
export interface ImpactProfile {
  nature: 'negative' | 'positive';
  occurrence: 'actual' | 'potential';
  humanRights: boolean;
}

/** One answer (one topic in one response). Each value is an integer 1..5; `null` is "don't know". */
export interface Criteria {
  significance?: number | null;
  scale?: number | null;
  scope?: number | null;
  irremediability?: number | null;
  likelihood?: number | null;
  magnitude?: number | null;
}

export type Criterion = keyof Criteria;

/**
 * Every criterion, in a fixed order: answer blocks store the criteria present as bits in this
 * order (results/tallies/answer-codec.ts), so it must never change; add new ones at the end.
 */
export const CRITERIA = [
  'significance',
  'scale',
  'scope',
  'irremediability',
  'likelihood',
  'magnitude',
] as const satisfies readonly Criterion[];

/**
 * Running sums for one (topic, axis, group), kept instead of the answers so results never scan
 * responses: `n`, `sum`, `sumSq` over non-null respondent scores, `dontKnow` counts the null ones.
 */
export interface Tally {
  n: number;
  sum: number;
  sumSq: number;
  dontKnow: number;
}

export interface GroupStats {
  n: number;
  mean: number | null;
  sd: number | null;
  dontKnow: number;
}

export type Rule = 'either' | 'both';
export type RankingMethod = 'exceedance' | 'sum' | 'euclidean' | 'product';

export interface ScoringSettings {
  thresholds: { impact: number; financial: number };
  rule: Rule;
  rankingMethod: RankingMethod;
  borderlineBand: number;
  minGroupN: number;
  minReportN: number;
  /** groupCode -> weight >= 0; a group missing here weighs 1. */
  weights: Record<string, number>;
}

export interface ScoringGroup {
  code: string;
  /** Instrument ids, which are the axis names. */
  instruments: ('impact' | 'financial')[];
}

export interface ScoringTopic {
  code: string;
  name: Record<string, string>;
  category: 'E' | 'S' | 'G';
}

export interface Override {
  material: boolean;
  rationale: string;
  by: string;
  at: string;
}

export interface ScoringInput {
  topics: ScoringTopic[];
  groups: ScoringGroup[];
  /** tallies[topicCode][axis][groupCode]; anything missing is an empty tally. */
  tallies: Record<string, Partial<Record<Axis, Record<string, Tally>>>>;
  settings: ScoringSettings;
  /** By topic code. */
  overrides?: Record<string, Override>;
}

export interface GroupFigure {
  mean: number | null;
  n: number;
  sd: number | null;
  dontKnow: number;
}

export interface AxisResult {
  score: number | null;
  pooledMean: number | null;
  n: number;
  dontKnow: number;
  byGroup: Record<string, GroupFigure>;
}

export type Classification = 'double' | 'impact' | 'financial' | 'none';

export interface TopicResult {
  code: string;
  name: Record<string, string>;
  category: 'E' | 'S' | 'G';
  impact: AxisResult;
  financial: AxisResult;
  classification: Classification;
  material: boolean;
  computedMaterial: boolean;
  borderline: boolean;
  priority: number;
  rank: number;
  override: Override | null;
}
