import { createRng, type Rng } from '../../src/analytics/random';
import type { AnalyticsSetup, ResponseRecord } from '../../src/analytics/types';
import { dict, resolveSettings } from '../../src/scoring';

/** A rating-mode set-up with the given topics and groups (weights 1 unless given). */
export function ratingSetup(
  topics: string[],
  groups: { code: string; weight?: number; instruments?: ('impact' | 'financial')[] }[],
  patch: Parameters<typeof resolveSettings>[0] = {},
): AnalyticsSetup {
  return {
    topics: topics.map((code) => ({ code, name: { en: code }, category: 'E' as const })),
    groups: groups.map((g) => ({
      code: g.code,
      weight: g.weight ?? 1,
      instruments: g.instruments ?? ['impact', 'financial'],
    })),
    modes: { impact: 'rating', financial: 'rating' },
    settings: resolveSettings({
      ...patch,
      weights: dict(groups.map((g) => [g.code, g.weight ?? 1])),
    }),
  };
}

/** Draws a rating 1..5 from the probabilities p (p[0] is the chance of a 1). */
export function drawRating(rng: Rng, p: readonly number[]): number {
  let u = rng.uniform();
  for (let i = 0; i < p.length; i++) {
    u -= p[i]!;
    if (u < 0) return i + 1;
  }
  return p.length;
}

/** Synthetic responses: each topic's ratings drawn from `dist(topic, group)`. */
export function syntheticResponses(
  setup: AnalyticsSetup,
  perGroup: number,
  seed: number,
  dist: (topic: string, group: string) => readonly number[],
): ResponseRecord[] {
  const rng = createRng(seed);
  const out: ResponseRecord[] = [];
  for (const g of setup.groups)
    for (let r = 0; r < perGroup; r++)
      out.push({
        group: g.code,
        answers: setup.topics.flatMap((t) =>
          g.instruments.map((instrument) => ({
            instrument,
            topic: t.code,
            significance: drawRating(rng, dist(t.code, g.code)),
          })),
        ),
      });
  return out;
}

export const noQuality = {
  straightLining: 0,
  speeder: 0,
  byGroup: dict<{ straightLining: number; speeder: number }>(),
  excluded: [],
};
