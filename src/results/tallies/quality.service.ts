import type { Assessment, Group } from '../../assessments/model/assessment.types';
import type { AnswerDoc } from '../../responses/response.model';
import { GroupStats, groupStatsId, type GroupStatsDoc } from './group-stats.model';
import { flagsOf, histogramMedian, type FlagClass } from './quality-flags';
import { parseQualityKey } from './quality-key';

/**
 * The median completion time a speeder is judged against, per assessment and questionnaire (the
 * set of instruments a group answers: "that instrument" of methodology section 7, since one
 * completion time covers the whole questionnaire). Read from the groups' histograms and kept for
 * a few seconds per process, so a submission costs no extra read most of the time.
 */
const REFERENCE_TTL_MS = 10_000;
const references = new Map<string, { at: number; ref: { median: number; n: number } }>();

const questionnaireOf = (g: Pick<Group, 'instruments'>) => [...g.instruments].sort().join('+');

async function speederReference(
  a: Assessment,
  group: Group,
): Promise<{ median: number; n: number }> {
  const key = `${a._id}:${questionnaireOf(group)}`;
  const hit = references.get(key);
  if (hit && Date.now() - hit.at < REFERENCE_TTL_MS) return hit.ref;
  const same = a.groups.filter((g) => questionnaireOf(g) === questionnaireOf(group));
  const docs = await Promise.all(
    same.map((g) => GroupStats.findById(groupStatsId(a._id, g.code)).lean<GroupStatsDoc>()),
  );
  const hist = new Map<number, number>();
  for (const d of docs)
    for (const [k, v] of Object.entries(d ?? {})) {
      if (!k.startsWith('dur:') || typeof v !== 'number') continue;
      const q = parseQualityKey(k);
      if (q?.kind === 'duration') hist.set(q.bucket, (hist.get(q.bucket) ?? 0) + v);
    }
  const ref = histogramMedian(hist);
  // Below the 10 responses a median needs, nothing is flagged yet: read again next time rather
  // than keep "too few" for the whole TTL.
  if (ref.n >= 10) {
    if (references.size > 2000) references.clear();
    references.set(key, { at: Date.now(), ref });
  }
  return ref;
}

/**
 * The quality flags of a response about to be stored, computed once: straight-lining from its
 * answers, speeder against the median completion time of the responses counted so far.
 */
export async function responseFlags(
  a: Assessment,
  group: Group,
  answers: AnswerDoc[],
  durationMs: number | null | undefined,
): Promise<FlagClass[]> {
  const reference =
    typeof durationMs === 'number' ? await speederReference(a, group) : { median: NaN, n: 0 };
  return flagsOf(answers, durationMs, reference);
}

/** Drops what this process remembers (tests that need the reference of this very moment). */
export const forgetSpeederReferences = () => references.clear();
