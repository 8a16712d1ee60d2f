import type { Assessment } from '../assessments/assessment.types';
import { tallyDelta } from '../scoring';
import type { AnswerDoc, StatsDoc } from './survey.models';
import { Stats } from './survey.models';
import { scoresOf } from './questionnaire';

/** The `$inc` one response adds: counts per group and the tallies per topic × axis × group. */
export function responseIncrements(a: Assessment, group: string, answers: AnswerDoc[], personal: boolean): Record<string, number> {
  const inc: Record<string, number> = { 'responses.total': 1, [`responses.byGroup.${group}`]: 1 };
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

export async function incrementStats(assessmentId: string, inc: Record<string, number>): Promise<void> {
  await Stats.updateOne({ _id: assessmentId }, { $inc: inc, $set: { updatedAt: new Date() } }, { upsert: true });
}

export async function getStats(assessmentId: string): Promise<StatsDoc> {
  const s = await Stats.findById(assessmentId).lean<StatsDoc>();
  return s ?? { _id: assessmentId, responses: { total: 0, byGroup: {} }, links: {}, tallies: {}, updatedAt: new Date(0) };
}
