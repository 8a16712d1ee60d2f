import { axisScore, classify, type GroupFigure, type ScoringGroup } from '../scoring';
import { column, type Dataset, type GroupMatrix } from './dataset';
import { choleskySemidefinite } from './linear';
import type { Rng } from './random';
import { percentile, sortedCopy } from './stats';
import type { AnalyticsSetup } from './types';

export const REPLICATES = 2000;

/**
 * Up to this many respondents a group is resampled respondent by respondent. Above it, the
 * resampled group mean vector is drawn from its large-sample limit: the normal distribution with
 * the covariance the stratified bootstrap of that group converges to (see README, Analytics). For
 * means of 1..5 answers the two agree within the Monte Carlo error of 2000 replicates well before
 * 200 respondents (tested at the switch), and the cost stops growing with the number of responses.
 */
export const EXACT_MAX = 200;

export interface TopicBootstrap {
  impact: [number, number] | null;
  financial: [number, number] | null;
  pMaterial: number;
}

/** The per-group state of one replicate: sums and counts per column. */
interface Sampler {
  group: GroupMatrix;
  /** the replicate's mean and non-null count per column, refreshed by draw() */
  mean: Float64Array;
  count: Float64Array;
  draw(rng: Rng): void;
}

function exactSampler(g: GroupMatrix, k: number): Sampler {
  const sum = new Float64Array(k);
  const count = new Float64Array(k);
  const mean = new Float64Array(k);
  return {
    group: g,
    mean,
    count,
    draw(rng) {
      sum.fill(0);
      count.fill(0);
      for (let i = 0; i < g.n; i++) {
        const base = rng.int(g.n) * k;
        for (let c = 0; c < k; c++) {
          sum[c]! += g.values[base + c]!;
          count[c]! += g.mask[base + c]!;
        }
      }
      for (let c = 0; c < k; c++) mean[c] = count[c]! > 0 ? sum[c]! / count[c]! : NaN;
    },
  };
}

/**
 * The normal limit of a large group's resampled means. With m_c non-null answers in column c and
 * z_ic = (x_ic − mean_c)·n/m_c (0 where there is no answer), the resampled mean is
 * mean_c + (1/n)Σ(w_i − 1)z_ic for multinomial weights w, whose covariance is S/n with
 * S = (1/n)Σ z_i z_iᵀ; the ratio form keeps the "don't know" answers out exactly as the group mean
 * does.
 */
function normalSampler(g: GroupMatrix, k: number): Sampler {
  const count = new Float64Array(k);
  const full = new Float64Array(k);
  for (let i = 0; i < g.n; i++)
    for (let c = 0; c < k; c++) {
      full[c]! += g.values[i * k + c]!;
      count[c]! += g.mask[i * k + c]!;
    }
  const centre = full.map((s, c) => (count[c]! > 0 ? s / count[c]! : NaN));
  const cov = new Float64Array(k * k);
  const z = new Float64Array(k);
  for (let i = 0; i < g.n; i++) {
    for (let c = 0; c < k; c++)
      z[c] = g.mask[i * k + c] ? ((g.values[i * k + c]! - centre[c]!) * g.n) / count[c]! : 0;
    for (let a = 0; a < k; a++) {
      const za = z[a]!;
      if (za === 0) continue;
      for (let b = 0; b <= a; b++) cov[a * k + b]! += za * z[b]!;
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      const v = cov[a * k + b]! / (g.n * g.n); // S/n
      cov[a * k + b] = v;
      cov[b * k + a] = v;
    }
  const l = choleskySemidefinite(cov, k);
  const mean = new Float64Array(k);
  const e = new Float64Array(k);
  return {
    group: g,
    mean,
    count,
    draw(rng) {
      for (let c = 0; c < k; c++) e[c] = rng.normal();
      for (let a = 0; a < k; a++) {
        let s = centre[a]!;
        for (let b = 0; b <= a; b++) s += l[a * k + b]! * e[b]!;
        mean[a] = s;
      }
    },
  };
}

/**
 * The stratified bootstrap of methodology section 6, as a generator that yields the share done
 * after each slice of replicates, so a caller can give the event loop back in between. Respondents
 * are resampled with replacement within their group, a respondent's answers staying together; each
 * replicate's axis scores and materiality come from the scoring core, as the results do.
 */
export function* bootstrap(
  ds: Dataset,
  setup: AnalyticsSetup,
  rng: Rng,
  replicates = REPLICATES,
): Generator<number, TopicBootstrap[]> {
  const k = ds.columns;
  const samplers = ds.groups.map((g) =>
    g.n <= EXACT_MAX ? exactSampler(g, k) : normalSampler(g, k),
  );
  const scoringGroups: ScoringGroup[] = setup.groups.map((g) => ({
    code: g.code,
    instruments: g.instruments,
  }));
  const topics = setup.topics;
  // One mutable figure per (topic, axis, group), refreshed in place each replicate.
  const figures = topics.map((_, ti) =>
    (['impact', 'financial'] as const).map((axis) => {
      const byGroup = Object.create(null) as Record<string, GroupFigure>;
      const slots = samplers.map((s) => {
        const f: GroupFigure = { mean: null, n: 0, sd: null, dontKnow: 0 };
        byGroup[s.group.code] = f;
        return f;
      });
      return { axis, byGroup, slots, c: column(ti, axis) };
    }),
  );
  const scores = topics.map(() => ({
    impact: new Float64Array(replicates),
    financial: new Float64Array(replicates),
  }));
  const material = new Float64Array(topics.length);
  const slice = Math.max(1, Math.floor(replicates / 40));
  for (let b = 0; b < replicates; b++) {
    for (const s of samplers) if (s.group.n > 0) s.draw(rng);
    figures.forEach(([impact, financial], ti) => {
      const I = replicateScore(impact!, samplers, scoringGroups, setup);
      const F = replicateScore(financial!, samplers, scoringGroups, setup);
      scores[ti]!.impact[b] = I ?? NaN;
      scores[ti]!.financial[b] = F ?? NaN;
      if (classify(I, F, setup.settings).material) material[ti]! += 1;
    });
    if ((b + 1) % slice === 0 && b + 1 < replicates) yield (b + 1) / replicates;
  }
  return topics.map((_, ti) => ({
    impact: interval(scores[ti]!.impact),
    financial: interval(scores[ti]!.financial),
    pMaterial: material[ti]! / replicates,
  }));
}

function replicateScore(
  f: {
    axis: 'impact' | 'financial';
    byGroup: Record<string, GroupFigure>;
    slots: GroupFigure[];
    c: number;
  },
  samplers: Sampler[],
  groups: ScoringGroup[],
  setup: AnalyticsSetup,
): number | null {
  samplers.forEach((s, gi) => {
    const slot = f.slots[gi]!;
    const n = s.group.n > 0 ? s.count[f.c]! : 0;
    const m = s.mean[f.c]!;
    slot.n = n;
    slot.mean = n > 0 && !Number.isNaN(m) ? m : null;
  });
  return axisScore(f.axis, groups, f.byGroup, setup.settings);
}

/** The 2.5–97.5 percentile interval of the replicates that have a score; null when none has. */
function interval(values: Float64Array): [number, number] | null {
  const sorted = sortedCopy(values.filter((v) => !Number.isNaN(v)));
  if (sorted.length === 0) return null;
  return [percentile(sorted, 0.025), percentile(sorted, 0.975)];
}
