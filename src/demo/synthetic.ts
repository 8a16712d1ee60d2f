import crypto from 'node:crypto';
import type { Assessment } from '../assessments/model/assessment.types';
import { buildQuestionnaire, type QuestionInstrument } from '../responses/questionnaire';
import type { AnswerDoc, ResponseDoc } from '../responses/response.model';
import { ResponseModel } from '../responses/response.model';
import type { GroupIncrement } from '../results/tallies/group-stats.model';
import {
  durationBucket,
  flagsOf,
  histogramMedian,
  type FlagClass,
} from '../results/tallies/quality-flags';
import { addIncrement, incrementGroup, responseIncrement } from '../results/tallies/tally.service';
import { blockDoc, entryOf, encodeRecords, insertBlocks } from '../results/tallies/answer-blocks';

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
export function syntheticAnswers(
  q: QuestionInstrument[],
  rand: () => number,
  level: (topic: string, instrument: string) => number,
): AnswerDoc[] {
  return q.flatMap((inst) =>
    inst.topics.map((t) => {
      const a: AnswerDoc = { instrument: inst.id, topic: t.code };
      for (const c of t.criteria) {
        if (rand() < 0.04)
          a[c] = null; // "don't know"
        else
          a[c] = Math.max(
            1,
            Math.min(5, Math.round(level(t.code, inst.id) + (rand() - 0.5) * 2.4)),
          );
      }
      return a;
    }),
  );
}

const RESPONSE_LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;

export interface GenerateOptions {
  count: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number) => void;
  /**
   * Share of straight-lining and of hurried respondents (default 3% and 4%), so that the demo's
   * Analytics tab has response quality to show; 0 for none.
   */
  straightLiners?: number;
  speeders?: number;
}

/** Every answered criterion of every instrument set to one value: a straight-liner. */
function straightLine(answers: AnswerDoc[], value: number): void {
  for (const a of answers)
    for (const k of Object.keys(a) as (keyof AnswerDoc)[])
      if (k !== 'instrument' && k !== 'topic' && a[k] !== undefined) a[k] = value;
}

/**
 * The flags a submission would store (methodology section 7): straight-lining from the answers,
 * speeder against the median completion time of the responses counted so far for the same
 * questionnaire, kept here as the same 5% histogram the tallies keep.
 */
class FlagJudge {
  private readonly hist = new Map<string, Map<number, number>>();
  flags(questionnaire: string, answers: AnswerDoc[], durationMs: number): FlagClass[] {
    const h = this.hist.get(questionnaire) ?? new Map<number, number>();
    this.hist.set(questionnaire, h);
    const flags = flagsOf(answers, durationMs, histogramMedian(h));
    const b = durationBucket(durationMs);
    h.set(b, (h.get(b) ?? 0) + 1);
    return flags;
  }
}

/**
 * Writes `count` synthetic responses spread over the assessment's groups (in proportion to their
 * targets) straight into the database, and their tallies with one `$inc` per batch.
 */
export async function generateResponses(a: Assessment, opts: GenerateOptions): Promise<void> {
  const rand = prng(opts.seed ?? 42);
  const groups = a.groups
    .filter((g) => g.instruments.length)
    .map((g) => ({
      code: g.code,
      weight: Math.max(1, g.targetResponses),
      questionnaire: buildQuestionnaire(a, g, 'en'),
      instruments: [...g.instruments].sort().join('+'),
    }));
  // Quality draws come from their own stream, so the answers and groups stay as they were.
  const qrand = prng((opts.seed ?? 42) ^ 0x51f1a9);
  const slShare = opts.straightLiners ?? 0.03;
  const spShare = opts.speeders ?? 0.04;
  const judge = new FlagJudge();
  const totalWeight = groups.reduce((x, g) => x + g.weight, 0);
  /** The group of the next response, in proportion to the weights (`r` in [0, 1)); the last one takes any rounding. */
  const pickGroup = (r: number) => {
    let pick = r * totalWeight;
    for (const g of groups) {
      if (pick <= g.weight) return g;
      pick -= g.weight;
    }
    return groups.at(-1);
  };
  const levels = new Map<string, number>();
  const level = (topic: string, inst: string) => {
    const key = `${topic}:${inst}`;
    let l = levels.get(key);
    if (l === undefined) {
      l = 1.8 + rand() * 2.6;
      levels.set(key, l);
    }
    return l;
  };
  const batchSize = opts.batchSize ?? 1000;
  const now = Date.now();
  for (let done = 0; done < opts.count;) {
    const n = Math.min(batchSize, opts.count - done);
    const docs: ResponseDoc[] = [];
    const inc = new Map<string, GroupIncrement>();
    for (let i = 0; i < n; i++) {
      const g = pickGroup(rand());
      if (!g) throw new Error('the assessment has no group with instruments to answer');
      const answers = syntheticAnswers(g.questionnaire, rand, level);
      let duration = Math.round(120_000 + rand() * 480_000);
      const q = qrand();
      if (q < slShare) straightLine(answers, 1 + Math.floor(qrand() * 5));
      else if (q < slShare + spShare) duration = Math.round(20_000 + qrand() * 60_000);
      const flags = judge.flags(g.instruments, answers, duration);
      // Spread over the last three weeks (without drawing from `rand`, so the answers stay as they
      // were), for a realistic chart of responses by day.
      const submittedAt = new Date(now - (((done + i) * 7919) % 21) * 864e5);
      docs.push({
        _id: crypto.randomBytes(12).toString('hex'),
        assessmentId: a._id,
        group: g.code,
        linkRef: 'synthetic',
        kind: 'open',
        answers,
        lang: RESPONSE_LANGS[Math.floor(rand() * RESPONSE_LANGS.length)] ?? 'en',
        startedAt: new Date(+submittedAt - duration),
        submittedAt,
        durationMs: duration,
        userAgentClass: rand() < 0.7 ? 'mobile' : 'desktop',
        ...(flags.length ? { flags } : {}),
      });
      inc.set(
        g.code,
        addIncrement(
          inc.get(g.code) ?? {},
          responseIncrement(a, answers, false, { submittedAt, flags, durationMs: duration }),
        ),
      );
    }
    await ResponseModel.insertMany(docs, { ordered: false, lean: true });
    // Their answer blocks, listed on the batch's first group document (as counting does).
    const blocks = encodeRecords(docs).map((b) =>
      blockDoc(`${a._id}:s:${crypto.randomUUID()}`, a._id, b),
    );
    await insertBlocks(blocks);
    let entries = blocks.map(entryOf);
    for (const [group, groupInc] of inc) {
      await incrementGroup(a._id, group, groupInc, entries);
      entries = [];
    }
    done += n;
    opts.onProgress?.(done);
  }
}
