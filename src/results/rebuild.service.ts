import { loadAssessment } from '../assessments/assessment.service';
import { dict } from '../scoring';
import { groupStatsId, responseIncrements, routeIncrements } from '../surveys/stats.service';
import { GroupStats, GroupStatsDoc, ResponseModel, ResponseDoc } from '../surveys/survey.models';

/**
 * Recomputes counts and tallies of an assessment from its stored responses (`results:rebuild`).
 * This is the one place that scans responses: an operator command, never a request path. It sums
 * exactly the increments each submission applied, so rebuild and incremental updates agree.
 */
export async function rebuildTallies(assessmentId: string, onProgress?: (done: number) => void): Promise<{ responses: number }> {
  const a = await loadAssessment(assessmentId);
  const totals = dict<number>();
  let count = 0;
  const cursor = ResponseModel.find({ assessmentId }).lean<ResponseDoc[]>().cursor({ batchSize: 1000 });
  for await (const r of cursor as AsyncIterable<ResponseDoc>) {
    for (const [k, v] of Object.entries(responseIncrements(a, r.group, r.answers, r.kind === 'personal'))) totals[k] = (totals[k] ?? 0) + v;
    if (++count % 1000 === 0) onProgress?.(count);
  }
  const byGroup = routeIncrements(totals);
  for (const g of a.groups) {
    const id = groupStatsId(assessmentId, g.code);
    const old = await GroupStats.findById(id).lean<GroupStatsDoc>();
    const flat = byGroup.get(g.code) ?? dict<number>();
    const tallies = Object.fromEntries(Object.entries(flat).filter(([k]) => k.startsWith('tally:')));
    // Invitations and openings are not derivable from responses: they are kept.
    const doc: GroupStatsDoc = {
      _id: id,
      assessmentId,
      group: g.code,
      responses: flat.responses ?? 0,
      invited: old?.invited ?? 0,
      opened: old?.opened ?? 0,
      submitted: flat.submitted ?? 0,
      updatedAt: new Date(),
      ...tallies,
    };
    await GroupStats.replaceOne({ _id: id }, doc, { upsert: true });
  }
  onProgress?.(count);
  return { responses: count };
}
