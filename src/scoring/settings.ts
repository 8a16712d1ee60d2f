import { dict, dictOf } from './own-key';
import type { ScoringSettings } from './types';

/** Results carry the id of the method they were computed with; a formula change is a new id. */
export const METHOD_ID = 'dma-v1';

/** Methodology defaults (sections 3, 4, 5, 8). Frozen so no caller can change them for everyone. */
export const DEFAULT_SETTINGS: Omit<ScoringSettings, 'weights'> & {
  weights: Record<string, number>;
} = Object.freeze({
  thresholds: Object.freeze({ impact: 3, financial: 3 }),
  rule: 'either',
  rankingMethod: 'exceedance',
  borderlineBand: 0.25,
  minGroupN: 1,
  minReportN: 5,
  weights: Object.freeze(dict<number>()),
});

export type SettingsPatch = Partial<Omit<ScoringSettings, 'thresholds'>> & {
  thresholds?: Partial<ScoringSettings['thresholds']>;
};

/**
 * Stored settings may omit fields (older assessments, partial PATCHes); fill them from the defaults.
 * `??` rather than a spread, so an explicit `undefined` does not erase a default.
 */
export function resolveSettings(patch: SettingsPatch = {}): ScoringSettings {
  const d = DEFAULT_SETTINGS;
  return {
    thresholds: {
      impact: patch.thresholds?.impact ?? d.thresholds.impact,
      financial: patch.thresholds?.financial ?? d.thresholds.financial,
    },
    rule: patch.rule ?? d.rule,
    rankingMethod: patch.rankingMethod ?? d.rankingMethod,
    borderlineBand: patch.borderlineBand ?? d.borderlineBand,
    minGroupN: patch.minGroupN ?? d.minGroupN,
    minReportN: patch.minReportN ?? d.minReportN,
    // Keyed by group code: a prototype-less copy, so a group coded `__proto__` keeps its weight.
    weights: dictOf(patch.weights),
  };
}
