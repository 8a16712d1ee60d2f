import {
  AXES,
  dict,
  ownValue,
  requiredCriteria,
  respondentScore,
  usesLikelihood,
  type Axis,
  type Criteria,
  type ImpactProfile,
  type InstrumentMode,
  type Tally,
} from '../scoring';
import type { AnalyticsSetup, ResponseRecord, SeverityFormula } from './types';

export type Tallies = Record<string, Partial<Record<Axis, Record<string, Tally>>>>;

/**
 * One group's respondents as a dense matrix: row r, column `topic * 2 + axis` (impact 0,
 * financial 1). `values` holds the respondent score, `mask` 1 where there is one (0 for "don't
 * know", an unanswered topic or an instrument the group does not get, whose value is 0).
 */
export interface GroupMatrix {
  code: string;
  n: number;
  values: Float64Array;
  mask: Uint8Array;
}

export interface Dataset {
  columns: number;
  groups: GroupMatrix[];
  /** the tallies results would hold for these responses */
  tallies: Tallies;
  /** the same under the other severity formulas (impact assessment mode only) */
  severityTallies: Map<SeverityFormula, Tallies>;
}

export const column = (topicIndex: number, axis: Axis) =>
  topicIndex * 2 + (axis === 'impact' ? 0 : 1);

/**
 * Respondent score under another severity formula (method sensitivity). Only a negative impact in
 * `assessment` mode has a formula to vary; everything else is scored as dma-v1 scores it.
 */
export function scoreUnder(
  formula: SeverityFormula,
  axis: Axis,
  mode: InstrumentMode,
  c: Criteria,
  profile: ImpactProfile | undefined,
): number | null {
  const p = profile ?? { nature: 'negative', occurrence: 'actual', humanRights: false };
  if (
    formula === 'mean-max' ||
    axis !== 'impact' ||
    mode !== 'assessment' ||
    p.nature !== 'negative'
  )
    return respondentScore(axis, mode, c, p);
  if (!requiredCriteria(axis, mode, p).every((k) => c[k] !== null && c[k] !== undefined))
    return null;
  const values = [c.scale, c.scope, c.irremediability] as number[];
  const s =
    formula === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length;
  return usesLikelihood(p) ? (s * (c.likelihood as number)) / 5 : s;
}

const ALTERNATIVES: SeverityFormula[] = ['mean', 'max'];
/** Slots of a tally in the accumulators: n, sum, sumSq, dontKnow, answers seen. */
const SLOTS = 5;

/**
 * Tallies of every (topic, axis, group) as one flat array, added to in the order the answers come,
 * so the sums are those of adding the tallies one answer at a time; turned into the `Tallies` shape
 * once, with an entry wherever at least one answer was seen (as results hold them).
 */
class TallyAccumulator {
  readonly acc: Float64Array;
  constructor(private readonly setup: AnalyticsSetup) {
    this.acc = new Float64Array(setup.topics.length * 2 * setup.groups.length * SLOTS);
  }

  add(slot: number, x: number | null): void {
    const acc = this.acc;
    if (x === null) acc[slot + 3]! += 1;
    else {
      acc[slot]! += 1;
      acc[slot + 1]! += x;
      acc[slot + 2]! += x * x;
    }
    acc[slot + 4]! += 1;
  }

  tallies(): Tallies {
    const out: Tallies = dict();
    const { topics, groups } = this.setup;
    topics.forEach((t, ti) => {
      for (const axis of AXES) {
        groups.forEach((g, gi) => {
          const s = slotOf(ti, axis, gi, groups.length);
          if (this.acc[s + 4] === 0) return;
          const byAxis = ownValue(out, t.code) ?? (out[t.code] = dict());
          const byGroup = ownValue(byAxis, axis) ?? (byAxis[axis] = dict<Tally>());
          byGroup[g.code] = {
            n: this.acc[s]!,
            sum: this.acc[s + 1]!,
            sumSq: this.acc[s + 2]!,
            dontKnow: this.acc[s + 3]!,
          };
        });
      }
    });
    return out;
  }
}

const slotOf = (topicIndex: number, axis: Axis, groupIndex: number, groups: number) =>
  (column(topicIndex, axis) * groups + groupIndex) * SLOTS;

/** Collects responses one at a time (the job streams them), then packs the matrices. */
export class DatasetBuilder {
  private readonly topicIndex = new Map<string, number>();
  private readonly profiles: (ImpactProfile | undefined)[];
  private readonly groupIndex = new Map<string, number>();
  private readonly rows: Float64Array[][];
  private readonly tallies: TallyAccumulator;
  private readonly severityTallies = new Map<SeverityFormula, TallyAccumulator>();
  private readonly columns: number;

  constructor(private readonly setup: AnalyticsSetup) {
    setup.topics.forEach((t, i) => this.topicIndex.set(t.code, i));
    this.profiles = setup.topics.map((t) => t.impactProfile);
    setup.groups.forEach((g, i) => this.groupIndex.set(g.code, i));
    this.rows = setup.groups.map(() => []);
    this.columns = setup.topics.length * 2;
    this.tallies = new TallyAccumulator(setup);
    if (setup.modes.impact === 'assessment')
      for (const f of ALTERNATIVES) this.severityTallies.set(f, new TallyAccumulator(setup));
  }

  add(r: ResponseRecord): void {
    const gi = this.groupIndex.get(r.group);
    if (gi === undefined) return; // a group since deleted: results do not count it either
    const groups = this.setup.groups.length;
    // NaN marks "no score"; packed into value 0 and mask 0 by build().
    const row = new Float64Array(this.columns).fill(NaN);
    for (const a of r.answers) {
      const ti = this.topicIndex.get(a.topic);
      if (ti === undefined || !AXES.includes(a.instrument)) continue;
      const profile = this.profiles[ti];
      const mode = this.setup.modes[a.instrument];
      // The rating score is the answer itself (respondentScore's first case), without its checks.
      const x =
        mode === 'rating'
          ? (a.significance ?? null)
          : respondentScore(a.instrument, mode, a, profile);
      if (x !== null) row[column(ti, a.instrument)] = x;
      const slot = slotOf(ti, a.instrument, gi, groups);
      this.tallies.add(slot, x);
      for (const [formula, tallies] of this.severityTallies)
        tallies.add(slot, scoreUnder(formula, a.instrument, mode, a, profile));
    }
    this.rows[gi]!.push(row);
  }

  build(): Dataset {
    const k = this.columns;
    const groups = this.setup.groups.map((g, gi): GroupMatrix => {
      // In a canonical order, so that the resamples do not depend on the order the responses were
      // read in (answer blocks, a merge, a rebuild or a scan): the same answers, the same output.
      const rows = [...this.rows[gi]!].sort(compareRows);
      const values = new Float64Array(rows.length * k);
      const mask = new Uint8Array(rows.length * k);
      rows.forEach((row, r) => {
        for (let c = 0; c < k; c++) {
          const v = row[c]!;
          if (Number.isNaN(v)) continue;
          values[r * k + c] = v;
          mask[r * k + c] = 1;
        }
      });
      return { code: g.code, n: rows.length, values, mask };
    });
    const severityTallies = new Map<SeverityFormula, Tallies>();
    for (const [f, acc] of this.severityTallies) severityTallies.set(f, acc.tallies());
    return { columns: k, groups, tallies: this.tallies.tallies(), severityTallies };
  }
}

/** Orders rows by their values, column by column ("no score" first). */
function compareRows(a: Float64Array, b: Float64Array): number {
  for (let c = 0; c < a.length; c++) {
    const x = a[c]!;
    const y = b[c]!;
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (Number.isNaN(x)) return -1;
    if (Number.isNaN(y)) return 1;
    return x - y;
  }
  return 0;
}

/** Convenience for tests and small inputs. */
export function buildDataset(setup: AnalyticsSetup, responses: Iterable<ResponseRecord>): Dataset {
  const b = new DatasetBuilder(setup);
  for (const r of responses) b.add(r);
  return b.build();
}
