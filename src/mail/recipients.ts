import type { Assessment } from '../assessments/model/assessment.types';
import { linksCollection, type LinkDoc } from '../invitations/link.model';
import { responsesCollection } from '../responses/response.model';
import { inboxCollection } from '../results/tallies/inbox.model';
import { personalResponseId } from '../surveys/survey.service';

// Who may get a message. Staff and background paths: filters other than `_id` scan the links on the
// embedded engine (the assessment's invitations, never its responses); responses are read by `_id`.

/** Personal links with an address that have not opted out (optionally one group or given links). */
export async function mailableLinks(
  a: Assessment,
  opts: { group?: string; linkIds?: string[] },
): Promise<LinkDoc[]> {
  const filter: Record<string, unknown> = {
    assessmentId: a._id,
    kind: 'personal',
    revokedAt: null,
    email: { $exists: true, $ne: '' },
    optedOutAt: { $exists: false },
  };
  if (opts.group) filter.group = opts.group;
  if (opts.linkIds) filter._id = { $in: opts.linkIds };
  return linksCollection()
    .find(filter as never)
    .sort({ createdAt: 1, seq: 1, _id: 1 })
    .toArray();
}

/** The tokens among `links` whose personal response is stored (counted, or still in the inbox). */
export async function submittedTokens(links: readonly LinkDoc[]): Promise<Set<string>> {
  const done = new Set<string>();
  for (let i = 0; i < links.length; i += 500) {
    const slice = links.slice(i, i + 500);
    const byResponse = new Map(slice.map((l) => [personalResponseId(l._id), l._id]));
    const ids = [...byResponse.keys()];
    const query = { _id: { $in: ids } } as never;
    // The inbox first: counting moves an entry from the inbox to `responses`, so reading in this
    // order (not at once) cannot miss one that moves between the two reads.
    const inbox = await inboxCollection()
      .find(query, { projection: { _id: 1 } })
      .toArray();
    const stored = await responsesCollection()
      .find(query, { projection: { _id: 1 } })
      .toArray();
    for (const d of [...stored, ...inbox]) {
      const token = byResponse.get(String(d._id));
      if (token) done.add(token);
    }
  }
  return done;
}

export async function hasSubmitted(link: LinkDoc): Promise<boolean> {
  return (await submittedTokens([link])).has(link._id);
}
