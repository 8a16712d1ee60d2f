import { addTally, dict, ownValue, type Tally } from '../../scoring';
import type { FlaggedPart, StatsDoc } from './group-stats.model';
import type { FlagSet } from './quality-key';

type Tallies = StatsDoc['tallies'];

/** The signed combination of flag sets that leaves out exactly the excluded classes. */
function termsFor(stats: StatsDoc): [FlagSet, number][] {
  const ex = stats.quality?.excluded ?? [];
  const sl = ex.includes('straightLining');
  const sp = ex.includes('speeder');
  if (sl && sp)
    return [
      ['sl', -1],
      ['sp', -1],
      ['slsp', 1],
    ];
  if (sl) return [['sl', -1]];
  if (sp) return [['sp', -1]];
  return [];
}

const scaled = (t: Tally, k: number): Tally => ({
  n: k * t.n,
  sum: k * t.sum,
  sumSq: k * t.sumSq,
  dontKnow: k * t.dontKnow,
});

function combine(base: Tallies, part: FlaggedPart, sign: number): Tallies {
  const out: Tallies = dict();
  for (const [topic, axes] of Object.entries(base)) {
    const byAxis = (out[topic] = dict<Record<string, Tally>>());
    for (const [axis, byGroup] of Object.entries(axes))
      byAxis[axis] = dict(Object.entries(byGroup));
  }
  for (const [topic, axes] of Object.entries(part.tallies)) {
    const byAxis = ownValue(out, topic) ?? (out[topic] = dict());
    for (const [axis, byGroup] of Object.entries(axes)) {
      const target = ownValue(byAxis, axis) ?? (byAxis[axis] = dict());
      for (const [g, t] of Object.entries(byGroup)) {
        const sum = addTally(
          ownValue(target, g) ?? { n: 0, sum: 0, sumSq: 0, dontKnow: 0 },
          scaled(t, sign),
        );
        // Integers stay exact; sums of scores may leave a rounding residue once all is removed.
        if (sum.n === 0) sum.sum = sum.sumSq = 0;
        target[g] = sum;
      }
    }
  }
  return out;
}

/**
 * The stats as if the excluded flag classes had never been submitted: their tallies and response
 * counts subtracted (inclusion–exclusion when both are excluded). Arithmetic on a few documents,
 * never a scan; links and invitation counts are unchanged (those responses did arrive).
 */
export function withExclusions(stats: StatsDoc): StatsDoc {
  const terms = termsFor(stats);
  if (!terms.length || !stats.quality) return stats;
  let tallies = stats.tallies;
  const byGroup = dict(Object.entries(stats.responses.byGroup));
  for (const [set, sign] of terms) {
    const part = stats.quality.flagged[set];
    tallies = combine(tallies, part, sign);
    for (const [g, n] of Object.entries(part.responses))
      if (ownValue(byGroup, g) !== undefined) byGroup[g] = byGroup[g]! + sign * n;
  }
  const total = Object.values(byGroup).reduce((a, b) => a + b, 0);
  return { ...stats, tallies, responses: { total, byGroup } };
}
