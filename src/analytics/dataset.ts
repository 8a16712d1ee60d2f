import {
  AXES,
  dict,
  ownValue,
  requiredCriteria,
  respondentScore,
  tallyDelta,
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

function addTo(tallies: Tallies, topic: string, axis: Axis, group: string, x: number | null) {
  const byAxis = ownValue(tallies, topic) ?? (tallies[topic] = dict());
  const byGroup = ownValue(byAxis, axis) ?? (byAxis[axis] = dict<Tally>());
  const t = ownValue(byGroup, group) ?? (byGroup[group] = { n: 0, sum: 0, sumSq: 0, dontKnow: 0 });
  const d = tallyDelta(x);
  t.n += d.n;
  t.sum += d.sum;
  t.sumSq += d.sumSq;
  t.dontKnow += d.dontKnow;
}

/** Collects responses one at a time (the job streams them), then packs the matrices. */
export class DatasetBuilder {
  private readonly topicIndex = new Map<string, number>();
  private readonly profiles = new Map<string, ImpactProfile | undefined>();
  private readonly rows = new Map<string, Float64Array[]>();
  private readonly tallies: Tallies = dict();
  private readonly severityTallies = new Map<SeverityFormula, Tallies>();
  private readonly columns: number;
  private readonly assessmentMode: boolean;

  constructor(private readonly setup: AnalyticsSetup) {
    setup.topics.forEach((t, i) => {
      this.topicIndex.set(t.code, i);
      this.profiles.set(t.code, t.impactProfile);
    });
    for (const g of setup.groups) this.rows.set(g.code, []);
    this.columns = setup.topics.length * 2;
    this.assessmentMode = setup.modes.impact === 'assessment';
    if (this.assessmentMode) for (const f of ALTERNATIVES) this.severityTallies.set(f, dict());
  }

  add(r: ResponseRecord): void {
    const rows = this.rows.get(r.group);
    if (!rows) return; // a group since deleted: results do not count it either
    // NaN marks "no score"; packed into value 0 and mask 0 by build().
    const row = new Float64Array(this.columns).fill(NaN);
    for (const a of r.answers) {
      const ti = this.topicIndex.get(a.topic);
      if (ti === undefined || !AXES.includes(a.instrument)) continue;
      const profile = this.profiles.get(a.topic);
      const mode = this.setup.modes[a.instrument];
      const x = respondentScore(a.instrument, mode, a, profile);
      if (x !== null) row[column(ti, a.instrument)] = x;
      addTo(this.tallies, a.topic, a.instrument, r.group, x);
      for (const [formula, tallies] of this.severityTallies)
        addTo(
          tallies,
          a.topic,
          a.instrument,
          r.group,
          scoreUnder(formula, a.instrument, mode, a, profile),
        );
    }
    rows.push(row);
  }

  build(): Dataset {
    const k = this.columns;
    const groups = this.setup.groups.map((g): GroupMatrix => {
      // In a canonical order, so that the resamples do not depend on the order the responses were
      // read in (answer blocks, a merge, a rebuild or a scan): the same answers, the same output.
      const rows = [...(this.rows.get(g.code) ?? [])].sort(compareRows);
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
    return { columns: k, groups, tallies: this.tallies, severityTallies: this.severityTallies };
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
