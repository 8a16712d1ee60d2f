import type { Assessment } from '../assessments/assessment.types';
import { dict, ownValue, tallyDelta, type Tally } from '../scoring';
import type { AnswerDoc, GroupStatsDoc, StatsDoc } from './survey.models';
import { GroupStats, native } from './survey.models';
import { scoresOf } from './questionnaire';
import { AssessmentModel } from '../assessments/assessment.model';

/**
 * The `$inc` one response adds, in assessment-wide key form: `responses.byGroup.G`,
 * `links.G.submitted`, `tallies.T.A.G.{n,sum,sumSq,dontKnow}`. incrementStats routes each key to
 * its group's document. Records keyed by codes have no prototype (see scoring/own-key.ts).
 */
export function responseIncrements(a: Assessment, group: string, answers: AnswerDoc[], personal: boolean): Record<string, number> {
  const inc = dict<number>([[`responses.byGroup.${group}`, 1]]);
  if (personal) inc[`links.${group}.submitted`] = 1;
  for (const { topic, axis, x } of scoresOf(a, answers)) {
    const d = tallyDelta(x);
    const base = `tallies.${topic}.${axis}.${group}`;
    inc[`${base}.n`] = (inc[`${base}.n`] ?? 0) + d.n;
    inc[`${base}.sum`] = (inc[`${base}.sum`] ?? 0) + d.sum;
    inc[`${base}.sumSq`] = (inc[`${base}.sumSq`] ?? 0) + d.sumSq;
    inc[`${base}.dontKnow`] = (inc[`${base}.dontKnow`] ?? 0) + d.dontKnow;
  }
  return inc;
}

/** Splits assessment-wide keys into per-group document keys. */
export function routeIncrements(inc: Record<string, number>): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const add = (group: string, key: string, v: number) => {
    const m = out.get(group) ?? dict<number>();
    m[key] = (m[key] ?? 0) + v;
    out.set(group, m);
  };
  for (const [key, v] of Object.entries(inc)) {
    const p = key.split('.');
    if (p[0] === 'responses' && p[1] === 'byGroup') add(p[2], 'responses', v);
    else if (p[0] === 'links') add(p[1], p[2], v);
    else if (p[0] === 'tallies') add(p[3], `tally:${p[1]}:${p[2]}:${p[4]}`, v);
  }
  return out;
}

export const groupStatsId = (assessmentId: string, group: string) => `${assessmentId}:${group}`;

/**
 * One primary-key `$inc` per group touched (a submission touches one). A plain update first: an
 * upsert costs the embedded engine more, and the document exists after the group's first write.
 */
export async function incrementStats(assessmentId: string, inc: Record<string, number>): Promise<void> {
  const now = new Date();
  for (const [group, groupInc] of routeIncrements(inc)) {
    const filter = { _id: groupStatsId(assessmentId, group) };
    const r = await native.groupStats().updateOne(filter, { $inc: groupInc, $set: { updatedAt: now } });
    if (r.matchedCount === 0) {
      await native.groupStats().updateOne(filter, { $inc: groupInc, $set: { updatedAt: now, assessmentId, group } }, { upsert: true });
    }
  }
}

const TALLY_FIELDS: readonly string[] = ['n', 'sum', 'sumSq', 'dontKnow'];

/**
 * The tallies of one group document, by topic and axis. Topic codes become keys here, and a topic
 * coded `__proto__` or `constructor` must land in an own entry: with ordinary objects,
 * `out['__proto__'] ??= {}` finds Object.prototype and writes the tally into every object of the
 * process. Hence prototype-less records and own-key reads only.
 */
export function talliesOf(d: GroupStatsDoc | null): Record<string, Record<string, Tally>> {
  const out = dict<Record<string, Tally>>();
  for (const [key, v] of Object.entries(d ?? {})) {
    if (!key.startsWith('tally:')) continue;
    const [, topic, axis, field, ...rest] = key.split(':');
    if (rest.length || !TALLY_FIELDS.includes(field) || typeof v !== 'number') continue;
    const axes = ownValue(out, topic) ?? (out[topic] = dict<Tally>());
    const t = ownValue(axes, axis) ?? (axes[axis] = { n: 0, sum: 0, sumSq: 0, dontKnow: 0 });
    t[field as keyof Tally] = v;
  }
  return out;
}

/** Assembles the groups' documents (one primary-key read each) into the assessment-wide view. */
export async function getStats(assessmentId: string, groups?: string[]): Promise<StatsDoc> {
  const codes = groups ?? ((await AssessmentModel.findById(assessmentId).lean<Assessment>())?.groups ?? []).map((g) => g.code);
  const docs = await Promise.all(codes.map((g) => GroupStats.findById(groupStatsId(assessmentId, g)).lean<GroupStatsDoc>()));
  // Keyed by group and topic codes: prototype-less, so `__proto__` is a group like any other.
  const stats: StatsDoc = { _id: assessmentId, responses: { total: 0, byGroup: dict() }, links: dict(), tallies: dict(), updatedAt: new Date(0) };
  docs.forEach((d, i) => {
    const g = codes[i];
    stats.responses.byGroup[g] = d?.responses ?? 0;
    stats.responses.total += d?.responses ?? 0;
    stats.links[g] = { invited: d?.invited ?? 0, opened: d?.opened ?? 0, submitted: d?.submitted ?? 0 };
    for (const [topic, axes] of Object.entries(talliesOf(d))) {
      const byAxis = ownValue(stats.tallies, topic) ?? (stats.tallies[topic] = dict());
      for (const [axis, t] of Object.entries(axes)) (ownValue(byAxis, axis) ?? (byAxis[axis] = dict()))[g] = t;
    }
    if (d?.updatedAt && +d.updatedAt > +stats.updatedAt) stats.updatedAt = d.updatedAt;
  });
  return stats;
}
