import {
  computeTopicResults,
  respondentScore,
  type Override,
  type ScoringInput,
  type TopicResult,
} from '../../src/scoring';
import { group, inputFrom, topic, type Answers } from './scoring.fixtures';

const rating = (significance: number | null) =>
  respondentScore('impact', 'rating', { significance });
const financial = (magnitude: number, likelihood: number) =>
  respondentScore('financial', 'assessment', { magnitude, likelihood });

const GROUPS = [group('A', 'impact'), group('B', 'impact'), group('CFO', 'financial')];

/** Methodology section 9, end to end: from answers to a ranked, classified topic. */
const GOLDEN: Answers = {
  T1: {
    impact: { A: [5, 5, 5, 5].map(rating), B: [1, 3].map(rating) },
    financial: { CFO: [financial(4, 2)] },
  },
};

describe('computeTopicResults: worked example of methodology section 9', () => {
  it('rule either: I = 3.5, pooledMean 4.0, F = 1.6 -> impact, material, P = 1.1667, not borderline', () => {
    const r = computeTopicResults(inputFrom([topic('T1')], GROUPS, GOLDEN)).at(0)!;
    expect(r.impact.score).toBeCloseTo(3.5, 12);
    expect(r.impact.pooledMean).toBeCloseTo(4.0, 12);
    expect(r.financial.score).toBeCloseTo(1.6, 12);
    expect(r.classification).toBe('impact');
    expect(r.material).toBe(true);
    expect(r.computedMaterial).toBe(true);
    expect(r.priority).toBeCloseTo(1.1667, 4);
    expect(r.borderline).toBe(false);
    expect(r.rank).toBe(1);
    expect(r.override).toBeNull();
  });

  it('rule both -> not material, P = 0.5333', () => {
    const r = computeTopicResults(inputFrom([topic('T1')], GROUPS, GOLDEN, { rule: 'both' })).at(
      0,
    )!;
    expect(r.material).toBe(false);
    expect(r.classification).toBe('impact');
    expect(r.priority).toBeCloseTo(0.5333, 4);
  });

  it('weights 3 and 1 -> I = 4.25', () => {
    const r = computeTopicResults(
      inputFrom([topic('T1')], GROUPS, GOLDEN, { weights: { A: 3, B: 1 } }),
    ).at(0)!;
    expect(r.impact.score).toBeCloseTo(4.25, 12);
  });
});

describe('computeTopicResults: shape and order', () => {
  const topics = [topic('low', 'S'), topic('empty', 'G'), topic('high', 'E'), topic('mid')];
  const answers: Answers = {
    low: { impact: { A: [1, 2] } },
    high: { impact: { A: [5] }, financial: { CFO: [4] } },
    mid: { impact: { B: [3, null] } },
    ignored: { impact: { A: [5, 5, 5] } }, // a tally for a topic not in the list
  };
  const results = computeTopicResults(inputFrom(topics, GROUPS, answers));

  it('returns one result per topic, in rank order, ranked 1..n', () => {
    expect(results.map((r) => r.code)).toEqual(['high', 'mid', 'low', 'empty']);
    expect(results.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
  });

  it('passes name and category through', () => {
    expect(results.at(0)!.name).toEqual({ en: 'Topic high' });
    expect(results.map((r) => r.category)).toEqual(['E', 'E', 'S', 'G']);
  });

  it('a topic without answers: both axes null, none, not material, last', () => {
    const empty = results.at(3)!;
    expect(empty.impact.score).toBeNull();
    expect(empty.financial.score).toBeNull();
    expect(empty.classification).toBe('none');
    expect(empty.material).toBe(false);
    expect(empty.borderline).toBe(false);
    expect(empty.priority).toBe(0);
    expect(Object.keys(empty.impact.byGroup)).toEqual(['A', 'B']);
    expect(Object.keys(empty.financial.byGroup)).toEqual(['CFO']);
  });

  it('counts "don\'t know" per group and per axis', () => {
    expect(results.at(1)!.impact.dontKnow).toBe(1);
    expect(results.at(1)!.impact.byGroup.B).toEqual({ n: 1, mean: 3, sd: null, dontKnow: 1 });
  });

  it('keeps the documented key order', () => {
    expect(Object.keys(results.at(0)!)).toEqual([
      'code',
      'name',
      'category',
      'impact',
      'financial',
      'classification',
      'material',
      'computedMaterial',
      'borderline',
      'priority',
      'rank',
      'override',
    ]);
    expect(Object.keys(results.at(0)!.impact)).toEqual([
      'score',
      'pooledMean',
      'n',
      'dontKnow',
      'byGroup',
    ]);
  });

  it('does not depend on the order topics are given in', () => {
    const reversed = computeTopicResults(inputFrom([...topics].reverse(), GROUPS, answers));
    expect(reversed).toEqual(results);
  });

  it('follows the settings: higher thresholds make nothing material', () => {
    const strict = computeTopicResults(
      inputFrom(topics, GROUPS, answers, { thresholds: { impact: 5.5, financial: 5.5 } }),
    );
    expect(strict.map((r) => r.material)).toEqual([false, false, false, false]);
  });
});

describe('computeTopicResults: overrides', () => {
  const at = '2025-01-31T10:00:00.000Z';
  const notMaterial: Override = {
    material: false,
    rationale: 'Covered by group policy',
    by: 'approver@x',
    at,
  };
  const material: Override = { material: true, rationale: 'Regulator focus', by: 'approver@x', at };
  const base = (overrides?: Record<string, Override>): ScoringInput => ({
    ...inputFrom([topic('T1'), topic('T2')], GROUPS, { ...GOLDEN, T2: { impact: { A: [1] } } }),
    overrides,
  });

  it('an override replaces material and keeps the computed value beside it', () => {
    const t1 = computeTopicResults(base({ T1: notMaterial })).at(0)!;
    expect(t1.material).toBe(false);
    expect(t1.computedMaterial).toBe(true);
    expect(t1.override).toEqual(notMaterial);
  });

  it('an override can make a topic material', () => {
    const t2 = computeTopicResults(base({ T2: material })).find((r) => r.code === 'T2')!;
    expect(t2.material).toBe(true);
    expect(t2.computedMaterial).toBe(false);
  });

  it('an override changes neither classification, priority nor rank', () => {
    const plain = computeTopicResults(base());
    const overridden = computeTopicResults(base({ T1: notMaterial, T2: material }));
    const pick = (rs: typeof plain) =>
      rs.map((r) => [r.code, r.classification, r.priority, r.rank]);
    expect(pick(overridden)).toEqual(pick(plain));
  });

  it('without an override: override null and material = computedMaterial', () => {
    for (const r of computeTopicResults(base({ OTHER: material }))) {
      expect(r.override).toBeNull();
      expect(r.material).toBe(r.computedMaterial);
    }
  });
});

describe('computeTopicResults: user-chosen codes', () => {
  it('topic and group codes that are Object.prototype member names work as plain codes', () => {
    const groups = [group('toString', 'impact'), group('hasOwnProperty', 'financial')];
    const input = inputFrom([topic('constructor'), topic('valueOf')], groups, {
      constructor: { impact: { toString: [4] }, financial: { hasOwnProperty: [2] } },
    });
    const [a, b] = computeTopicResults(input) as [TopicResult, TopicResult];
    expect([a.code, a.impact.score, a.financial.score]).toEqual(['constructor', 4, 2]);
    expect([b.code, b.impact.score, b.override]).toEqual(['valueOf', null, null]);
  });
});
