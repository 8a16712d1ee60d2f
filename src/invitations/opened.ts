import { incrementGroup } from '../results/tallies/tally.service';
import { linksCollection, type LinkDoc } from './link.model';

/**
 * Counts an "open" on the respondent's first interaction (the draft's creation by a page POST or an
 * autosave), never on a GET: mail scanners fetch every link in a message. A personal link counts once
 * (a conditional update on its own document); an open link counts each new respondent.
 */
export async function countOpened(link: LinkDoc, assessmentId: string, group: string) {
  if (link.kind === 'open') {
    await linksCollection().updateOne({ _id: link._id }, { $inc: { opens: 1 } });
    await incrementGroup(assessmentId, group, { opened: 1 });
    return;
  }
  if (link.openedAt) return;
  const r = await linksCollection().updateOne(
    { _id: link._id, openedAt: { $exists: false } },
    { $set: { openedAt: new Date() }, $inc: { opens: 1 } },
  );
  if (r.modifiedCount === 1) await incrementGroup(assessmentId, group, { opened: 1 });
}
