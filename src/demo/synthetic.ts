import crypto from 'node:crypto';
import type { Assessment } from '../assessments/assessment.types';
import { buildQuestionnaire, type QuestionInstrument } from '../responses/questionnaire';
import type { AnswerDoc, ResponseDoc } from '../responses/response.model';
import { ResponseModel } from '../responses/response.model';
import type { GroupIncrement } from '../results/tallies/group-stats.model';
import { addIncrement, incrementGroup, responseIncrement } from '../results/tallies/tally.service';

/** A small deterministic PRNG (mulberry32), so demo data and benchmarks are repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plausible answers: each topic has a "true" level per axis; respondents scatter around it. */
export function syntheticAnswers(q: QuestionInstrument[], rand: () => number, level: (topic: string, instrument: string) => number): AnswerDoc[] {
  return q.flatMap((inst) =>
    inst.topics.map((t) => {
      const a: AnswerDoc = { instrument: inst.id, topic: t.code };
      for (const c of t.criteria) {
        if (rand() < 0.04) a[c] = null; // "don't know"
        else a[c] = Math.max(1, Math.min(5, Math.round(level(t.code, inst.id) + (rand() - 0.5) * 2.4)));
      }
      return a;
    }),
  );
}

export interface GenerateOptions {
  count: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number) => void;
}

/**
 * Writes `count` synthetic responses spread over the assessment's groups (in proportion to their
 * targets) straight into the database, and their tallies with one `$inc` per batch.
 */
export async function generateResponses(a: Assessment, opts: GenerateOptions): Promise<void> {
  const rand = prng(opts.seed ?? 42);
  const groups = a.groups.filter((g) => g.instruments.length);
  const weights = groups.map((g) => Math.max(1, g.targetResponses));
  const totalWeight = weights.reduce((x, y) => x + y, 0);
  const questionnaires = new Map(groups.map((g) => [g.code, buildQuestionnaire(a, g, 'en')]));
  const levels = new Map<string, number>();
  const level = (topic: string, inst: string) => {
    const key = `${topic}:${inst}`;
    if (!levels.has(key)) levels.set(key, 1.8 + rand() * 2.6);
    return levels.get(key)!;
  };
  const batchSize = opts.batchSize ?? 1000;
  const now = Date.now();
  for (let done = 0; done < opts.count; ) {
    const n = Math.min(batchSize, opts.count - done);
    const docs: ResponseDoc[] = [];
    const inc = new Map<string, GroupIncrement>();
    for (let i = 0; i < n; i++) {
      let pick = rand() * totalWeight;
      let gi = 0;
      while (pick > weights[gi] && gi < groups.length - 1) pick -= weights[gi++];
      const g = groups[gi];
      const answers = syntheticAnswers(questionnaires.get(g.code)!, rand, level);
      const duration = Math.round(120_000 + rand() * 480_000);
      docs.push({
        _id: crypto.randomBytes(12).toString('hex'),
        assessmentId: a._id,
        group: g.code,
        linkRef: 'synthetic',
        kind: 'open',
        answers,
        lang: (['en', 'zh-Hant', 'zh-Hans'] as const)[Math.floor(rand() * 3)],
        startedAt: new Date(now - duration),
        submittedAt: new Date(now),
        durationMs: duration,
        userAgentClass: rand() < 0.7 ? 'mobile' : 'desktop',
      });
      inc.set(g.code, addIncrement(inc.get(g.code) ?? {}, responseIncrement(a, answers, false)));
    }
    await ResponseModel.insertMany(docs, { ordered: false, lean: true });
    for (const [group, groupInc] of inc) await incrementGroup(a._id, group, groupInc);
    done += n;
    opts.onProgress?.(done);
  }
}
