import crypto from 'node:crypto';
import type { Assessment } from '../assessments/model/assessment.types';
import { dict, METHOD_ID, resolveSettings } from '../scoring';
import type { StatsDoc } from '../results/tallies/group-stats.model';
import { REPLICATES } from './bootstrap';
import type { AnalyticsSetup } from './types';
import { WEIGHT_DRAWS } from './weights';

/** The analytics' view of an assessment's set-up (plain data). */
export function setupOf(a: Assessment): AnalyticsSetup {
  const weights = dict(a.groups.map((g) => [g.code, g.weight]));
  return {
    topics: a.topics.map((t) => ({
      code: t.code,
      name: t.name,
      category: t.category,
      impactProfile: t.impactProfile,
    })),
    groups: a.groups.map((g) => ({ code: g.code, instruments: g.instruments, weight: g.weight })),
    modes: {
      impact: a.settings.instruments.impact.mode,
      financial: a.settings.instruments.financial.mode,
    },
    settings: resolveSettings({ ...a.settings, weights }),
  };
}

/**
 * The data version analytics are cached under: everything they depend on (method, seed, B, the
 * scoring settings and weights, topics, groups, modes, the excluded flag classes) and a fingerprint
 * of the responses from the tallies (per group: responses and the sums of every counter), which
 * changes with every counted response and with nothing else (an opened link does not count).
 */
export function dataVersionOf(a: Assessment, stats: StatsDoc, seed: number): string {
  const s = setupOf(a);
  const responses = a.groups.map((g) => {
    let sum = 0;
    for (const byAxis of Object.values(stats.tallies))
      for (const byGroup of Object.values(byAxis)) {
        const t = Object.hasOwn(byGroup, g.code) ? byGroup[g.code] : undefined;
        if (t) sum += t.n * 1e6 + t.sum * 1e3 + t.sumSq + t.dontKnow * 7;
      }
    const flags = stats.quality?.byGroup[g.code];
    return [
      g.code,
      stats.responses.byGroup[g.code] ?? 0,
      sum,
      flags?.straightLining ?? 0,
      flags?.speeder ?? 0,
    ];
  });
  const basis = JSON.stringify([
    METHOD_ID,
    seed,
    REPLICATES,
    WEIGHT_DRAWS,
    s.settings,
    s.modes,
    s.topics.map((t) => [t.code, t.impactProfile ?? null]),
    s.groups,
    stats.quality?.excluded ?? [],
    responses,
  ]);
  return crypto.createHash('sha256').update(basis).digest('hex').slice(0, 32);
}
