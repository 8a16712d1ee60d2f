import { loadAssessment } from '../assessments/assessment.service';
import { responseIncrements } from '../surveys/stats.service';
import { ResponseModel, ResponseDoc, Stats } from '../surveys/survey.models';

/**
 * Recomputes counts and tallies of an assessment from its stored responses (`results:rebuild`).
 * This is the one place that scans responses: an operator command, never a request path. It sums
 * exactly the increments each submission applied, so rebuild and incremental updates agree.
 */
export async function rebuildTallies(assessmentId: string, onProgress?: (done: number) => void): Promise<{ responses: number }> {
  const a = await loadAssessment(assessmentId);
  const totals: Record<string, number> = {};
  let count = 0;
  const cursor = ResponseModel.find({ assessmentId }).lean<ResponseDoc[]>().cursor({ batchSize: 1000 });
  for await (const r of cursor as AsyncIterable<ResponseDoc>) {
    const inc = responseIncrements(a, r.group, r.answers, r.kind === 'personal');
    for (const [k, v] of Object.entries(inc)) totals[k] = (totals[k] ?? 0) + v;
    if (++count % 1000 === 0) onProgress?.(count);
  }
  const doc = unflatten(totals);
  const links = ((await Stats.findById(assessmentId).lean()) as { links?: Record<string, Record<string, number>> } | null)?.links ?? {};
  // Invitations and openings are not derivable from responses: keep them, replace "submitted".
  for (const g of Object.keys(links)) delete links[g].submitted;
  for (const [g, v] of Object.entries((doc.links ?? {}) as Record<string, { submitted: number }>)) links[g] = { ...links[g], submitted: v.submitted };
  await Stats.replaceOne(
    { _id: assessmentId },
    { _id: assessmentId, responses: doc.responses ?? { total: 0, byGroup: {} }, links, tallies: doc.tallies ?? {}, updatedAt: new Date() },
    { upsert: true },
  );
  onProgress?.(count);
  return { responses: count };
}

function unflatten(flat: Record<string, number>): Record<string, Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(flat)) {
    const keys = path.split('.');
    let node = out as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = v;
  }
  return out as Record<string, Record<string, unknown>>;
}
