import type { Assessment } from '../../assessments/model/assessment.types';
import { AssessmentModel } from '../../assessments/model/assessment.model';
import { dict, ownValue, tallyDelta, type Tally } from '../../scoring';
import { scoresOf } from '../../responses/questionnaire';
import type { AnswerDoc } from '../../responses/response.model';
import {
  GroupStats,
  groupStatsCollection,
  groupStatsId,
  type GroupIncrement,
  type FlaggedPart,
  type GroupStatsDoc,
  type QualityStats,
  type StatsDoc,
} from './group-stats.model';
import { Exclusion, type ExclusionDoc } from './exclusion.model';
import { durationBucket, type FlagClass } from './quality-flags';
import {
  durationKey,
  flagCountKey,
  flagSetsOf,
  flagTallyKey,
  parseQualityKey,
  type FlagSet,
} from './quality-key';
import { dayKey, type DayKey } from './day-key';
import { parseTallyKey, TALLY_FIELDS, tallyKey } from './tally-key';

/**
 * What one response adds to its group's document: one response, one submission for a personal
 * link, and for each answered (topic, axis) the tally delta of its respondent score. With the
 * response's stored quality flags and completion time (`quality`), also what it adds to each flag
 * set it belongs to and to the completion-time histogram, so that a flag class can be left out of
 * the scores by subtraction (exclusion.ts).
 */
export function responseIncrement(
  a: Assessment,
  answers: AnswerDoc[],
  personal: boolean,
  quality?: {
    flags?: readonly FlagClass[] | null;
    durationMs?: number | null;
    submittedAt?: Date | null;
  },
): GroupIncrement {
  const inc: GroupIncrement = dict<number>([['responses', 1]]);
  if (personal) inc.submitted = 1;
  // Responses per day of submission, for the overview's chart (day-key.ts).
  const day = dayKey(quality?.submittedAt);
  if (day) (inc as Record<DayKey, number>)[day] = 1;
  const sets = flagSetsOf(quality?.flags ?? undefined);
  for (const set of sets) inc[flagCountKey(set)] = 1;
  for (const { topic, axis, x } of scoresOf(a, answers)) {
    const d = tallyDelta(x);
    for (const field of TALLY_FIELDS) {
      const key = tallyKey(topic, axis, field);
      inc[key] = (inc[key] ?? 0) + d[field];
      for (const set of sets) {
        const fk = flagTallyKey(set, topic, axis, field);
        inc[fk] = (inc[fk] ?? 0) + d[field];
      }
    }
  }
  const ms = quality?.durationMs;
  if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)
    inc[durationKey(durationBucket(ms))] = 1;
  return inc;
}

/** Adds `b` into `a` (both in group-document key form). */
export function addIncrement(a: GroupIncrement, b: GroupIncrement): GroupIncrement {
  for (const [key, v] of Object.entries(b) as [keyof GroupIncrement, number][])
    a[key] = (a[key] ?? 0) + v;
  return a;
}

/**
 * One primary-key `$inc` on a group's document. A plain update first: an upsert costs the embedded
 * engine more, and the document exists after the group's first write.
 */
export async function incrementGroup(
  assessmentId: string,
  group: string,
  inc: GroupIncrement,
  blocks: string[] = [],
): Promise<void> {
  const now = new Date();
  const filter = { _id: groupStatsId(assessmentId, group) };
  const push = blocks.length ? { $push: { blocks: { $each: blocks } } } : {};
  const r = await groupStatsCollection().updateOne(filter, {
    $inc: inc,
    $set: { updatedAt: now },
    ...push,
  });
  if (r.matchedCount === 0) {
    await groupStatsCollection().updateOne(
      filter,
      { $inc: inc, $set: { updatedAt: now, assessmentId, group }, ...push },
      { upsert: true },
    );
  }
}

/**
 * The tallies of one group document, by topic and axis. Topic codes become keys here, and a topic
 * coded `__proto__` or `constructor` must land in an own entry: with ordinary objects,
 * `out['__proto__'] ??= {}` finds Object.prototype and writes the tally into every object of the
 * process. Hence prototype-less records and own-key reads only.
 */
export function talliesOf(d: GroupStatsDoc | null): Record<string, Record<string, Tally>> {
  const out = dict<Record<string, Tally>>();
  for (const [key, v] of Object.entries(d ?? {})) {
    const k = parseTallyKey(key);
    if (!k || typeof v !== 'number') continue;
    const axes = ownValue(out, k.topic) ?? (out[k.topic] = dict<Tally>());
    const t = ownValue(axes, k.axis) ?? (axes[k.axis] = { n: 0, sum: 0, sumSq: 0, dontKnow: 0 });
    t[k.field] = v;
  }
  return out;
}

// Counts what waits in the inbox before a read. counter.ts sets it (it imports this file, so this
// file cannot import it back); a process that never loads counter.ts never counts either.
let settle: () => Promise<void> = () => Promise.resolve();
export function settleBeforeReads(fn: () => Promise<void>): void {
  settle = fn;
}

/**
 * Assembles the groups' documents (one primary-key read each) into the assessment-wide view,
 * after counting what was stored before the call.
 */
export async function getStats(assessmentId: string, groups?: string[]): Promise<StatsDoc> {
  await settle();
  const codes =
    groups ??
    ((await AssessmentModel.findById(assessmentId).lean<Assessment>())?.groups ?? []).map(
      (g) => g.code,
    );
  const [docs, exclusion] = await Promise.all([
    Promise.all(
      codes.map(async (g) => ({
        g,
        d: await GroupStats.findById(groupStatsId(assessmentId, g)).lean<GroupStatsDoc>(),
      })),
    ),
    Exclusion.findById(assessmentId).lean<ExclusionDoc>(),
  ]);
  // Keyed by group and topic codes: prototype-less, so `__proto__` is a group like any other.
  const stats: StatsDoc = {
    _id: assessmentId,
    responses: { total: 0, byGroup: dict() },
    links: dict(),
    tallies: dict(),
    updatedAt: new Date(0),
  };
  docs.forEach(({ g, d }) => {
    stats.responses.byGroup[g] = d?.responses ?? 0;
    stats.responses.total += d?.responses ?? 0;
    stats.links[g] = {
      invited: d?.invited ?? 0,
      opened: d?.opened ?? 0,
      submitted: d?.submitted ?? 0,
    };
    for (const [topic, axes] of Object.entries(talliesOf(d))) {
      const byAxis = ownValue(stats.tallies, topic) ?? (stats.tallies[topic] = dict());
      for (const [axis, t] of Object.entries(axes))
        (ownValue(byAxis, axis) ?? (byAxis[axis] = dict()))[g] = t;
    }
    if (d?.updatedAt && +d.updatedAt > +stats.updatedAt) stats.updatedAt = d.updatedAt;
  });
  stats.quality = qualityOf(docs, exclusion?.exclude ?? []);
  return stats;
}

const emptyPart = () => ({
  responses: dict<number>(),
  tallies: dict<Record<string, Record<string, Tally>>>(),
});

/** The flag-set parts, per-class counts and completion-time histograms of the group documents. */
export function qualityOf(
  docs: { g: string; d: GroupStatsDoc | null }[],
  excluded: readonly FlagClass[],
): QualityStats {
  const flagged: Record<FlagSet, FlaggedPart> = {
    sl: emptyPart(),
    sp: emptyPart(),
    slsp: emptyPart(),
  };
  const byGroup = dict<Record<FlagClass, number>>();
  const durations = dict<Map<number, number>>();
  for (const { g, d } of docs) {
    const hist = new Map<number, number>();
    durations[g] = hist;
    for (const [key, v] of Object.entries(d ?? {})) {
      if (typeof v !== 'number' || (!key.startsWith('flag:') && !key.startsWith('dur:'))) continue;
      const k = parseQualityKey(key);
      if (!k) continue;
      if (k.kind === 'duration') hist.set(k.bucket, v);
      else if (k.kind === 'count') flagged[k.set].responses[g] = v;
      else {
        const part = flagged[k.set].tallies;
        const byAxis = ownValue(part, k.topic) ?? (part[k.topic] = dict());
        const byG = ownValue(byAxis, k.axis) ?? (byAxis[k.axis] = dict());
        const t = ownValue(byG, g) ?? (byG[g] = { n: 0, sum: 0, sumSq: 0, dontKnow: 0 });
        t[k.field] = v;
      }
    }
    byGroup[g] = {
      straightLining: ownValue(flagged.sl.responses, g) ?? 0,
      speeder: ownValue(flagged.sp.responses, g) ?? 0,
    };
  }
  return { byGroup, flagged, durations, excluded: [...excluded] };
}
