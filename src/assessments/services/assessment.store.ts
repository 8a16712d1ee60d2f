import { AppError } from '../../shared/errors';
import { TtlCache } from '../../shared/ttl-cache';
import { AssessmentModel } from '../model/assessment.model';
import type { Assessment } from '../model/assessment.types';

// The one reader and writer of the assessments collection. Topics, groups and the IRO register are
// embedded in the assessment, so every change is one primary-key update of one document; going
// through saveAssessment also keeps the respondent cache below honest.

export async function loadAssessment(id: string): Promise<Assessment> {
  const a = typeof id === 'string' && /^[a-f0-9]{24}$/.test(id) ? await AssessmentModel.findById(id).lean<Assessment>() : null;
  if (!a) throw new AppError(404, 'not_found', 'assess.notFound');
  return a;
}

// Respondent paths read the assessment on every request; a short-lived cache saves that read.
// Changes made through this process invalidate it at once; other app instances see a change
// (e.g. closing the survey) within CACHE_MS.
const CACHE_MS = 2000;
const cache = new TtlCache<Assessment>(CACHE_MS);

export async function loadAssessmentCached(id: string): Promise<Assessment> {
  const hit = cache.get(id);
  if (hit) return hit;
  const doc = await loadAssessment(id);
  cache.set(id, doc);
  return doc;
}

/** Every assessment. A handful per year: scanning this collection is cheap on any engine. */
export const allAssessments = () => AssessmentModel.find({}).lean<Assessment[]>();

export async function insertAssessment(doc: Omit<Assessment, '_id' | 'locked' | 'createdAt' | 'updatedAt'>): Promise<Assessment> {
  const created = await AssessmentModel.create(doc);
  return created.toObject<Assessment>();
}

/** Writes changed fields of one assessment with a primary-key update and returns it as stored. */
export async function saveAssessment(id: string, set: Partial<Assessment>): Promise<Assessment> {
  cache.delete(id);
  await AssessmentModel.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } });
  return loadAssessment(id);
}

/** Called once by the first stored response (a primary-key write). */
export async function markLocked(id: string): Promise<void> {
  cache.delete(id);
  await AssessmentModel.updateOne({ _id: id }, { $set: { locked: true } });
}
