import fc from 'fast-check';
import {
  AXES,
  axisResult,
  computeTopicResults,
  rankTopics,
  requiredCriteria,
  respondentScore,
  type Axis,
  type Criteria,
  type Criterion,
  type ImpactProfile,
  type InstrumentMode,
  type ScoringGroup,
  type ScoringInput,
  type SettingsPatch,
} from '../../src/scoring';
import { settings, tallyFrom, topic } from './scoring.fixtures';

const CRITERIA: Criterion[] = [
  'significance',
  'scale',
  'scope',
  'irremediability',
  'likelihood',
  'magnitude',
];

const axisArb = fc.constantFrom<Axis>(...AXES);
const modeArb = fc.constantFrom<InstrumentMode>('rating', 'assessment');
const profileArb: fc.Arbitrary<ImpactProfile> = fc.record({
  nature: fc.constantFrom('negative', 'positive'),
  occurrence: fc.constantFrom('actual', 'potential'),
  humanRights: fc.boolean(),
});
const level = fc.integer({ min: 1, max: 5 });
/** A complete answer: every criterion 1..5, so it scores under any mode and profile. */
const fullAnswerArb: fc.Arbitrary<Criteria> = fc.record(
  Object.fromEntries(CRITERIA.map((k) => [k, level])) as Record<Criterion, fc.Arbitrary<number>>,
);
/** A complete answer, or "don't know" (null). */
const answerArb = fc.option(fullAnswerArb, { nil: null, freq: 6 });

const settingsArb: fc.Arbitrary<SettingsPatch> = fc.record({
  thresholds: fc.record({
    impact: fc.constantFrom(2, 2.5, 3, 3.5, 4),
    financial: fc.constantFrom(2, 2.5, 3, 3.5, 4),
  }),
  rule: fc.constantFrom('either', 'both'),
  rankingMethod: fc.constantFrom('exceedance', 'sum', 'euclidean', 'product'),
  minGroupN: fc.integer({ min: 0, max: 3 }),
});

/** One axis of one topic: per group, its answers, weight and whether it was assigned the instrument. */
interface Scenario {
  axis: Axis;
  mode: InstrumentMode;
  profile: ImpactProfile;
  groups: { answers: (Criteria | null)[]; weight: number; assigned: boolean }[];
  minGroupN: number;
}
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  axis: axisArb,
  mode: modeArb,
  profile: profileArb,
  groups: fc.array(
    fc.record({
      answers: fc.array(answerArb, { maxLength: 8 }),
      weight: fc.constantFrom(0, 0.5, 1, 1, 2, 3),
      assigned: fc.oneof(fc.constant(true), fc.boolean()),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  minGroupN: fc.integer({ min: 0, max: 3 }),
});

const xOf = (s: Scenario, a: Criteria | null) =>
  a === null ? null : respondentScore(s.axis, s.mode, a, s.profile);
const code = (i: number) => `g${i}`;

function scenarioGroups(s: Scenario): ScoringGroup[] {
  const other: Axis = s.axis === 'impact' ? 'financial' : 'impact';
  return s.groups.map((g, i) => ({ code: code(i), instruments: g.assigned ? [s.axis] : [other] }));
}

function scenarioResult(
  s: Scenario,
  order: (xs: (number | null)[], i: number) => (number | null)[] = (xs) => xs,
) {
  const tallies = Object.fromEntries(
    s.groups.map((g, i) => [
      code(i),
      tallyFrom(
        order(
          g.answers.map((a) => xOf(s, a)),
          i,
        ),
      ),
    ]),
  );
  const weights = Object.fromEntries(s.groups.map((g, i) => [code(i), g.weight]));
  return axisResult(
    s.axis,
    scenarioGroups(s),
    tallies,
    settings({ weights, minGroupN: s.minGroupN }),
  );
}

/** Deep equality with numbers compared to 1e-9: summing in another order may move the last bit. */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Math.abs(actual - expected) > 1e-9) throw new Error(`${path}: ${actual} != ${expected}`);
  } else if (
    actual !== null &&
    expected !== null &&
    typeof actual === 'object' &&
    typeof expected === 'object'
  ) {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(actual)) {
      expectClose(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
    }
  } else {
    expect({ path, value: actual }).toEqual({ path, value: expected });
  }
}

describe('properties: respondent score', () => {
  const maybeLevel = fc.oneof(level, fc.constant(null), fc.constant(undefined));
  const partialAnswerArb: fc.Arbitrary<Criteria> = fc.record(
    Object.fromEntries(CRITERIA.map((k) => [k, maybeLevel])) as Record<
      Criterion,
      fc.Arbitrary<number | null | undefined>
    >,
  );

  it('is in [0.2, 5], and null exactly when a required criterion is missing', () => {
    fc.assert(
      fc.property(axisArb, modeArb, profileArb, partialAnswerArb, (axis, mode, profile, c) => {
        const x = respondentScore(axis, mode, c, profile);
        const missing = requiredCriteria(axis, mode, profile).some(
          (k) => c[k] === null || c[k] === undefined,
        );
        expect(x === null).toBe(missing);
        if (x !== null) {
          expect(x).toBeGreaterThanOrEqual(0.2 - 1e-12);
          expect(x).toBeLessThanOrEqual(5 + 1e-12);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('raising one criterion never lowers the respondent score', () => {
    fc.assert(
      fc.property(
        axisArb,
        modeArb,
        profileArb,
        fullAnswerArb,
        fc.constantFrom(...CRITERIA),
        level,
        (axis, mode, profile, c, k, to) => {
          const raised = { ...c, [k]: Math.max(c[k] as number, to) };
          expect(respondentScore(axis, mode, raised, profile)!).toBeGreaterThanOrEqual(
            respondentScore(axis, mode, c, profile)!,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('properties: aggregation', () => {
  it('the axis score stays in [0.2, 5] and between the lowest and highest respondent score', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = scenarioResult(s);
        const xs = s.groups
          .flatMap((g) => g.answers.map((a) => xOf(s, a)))
          .filter((x): x is number => x !== null);
        if (r.score === null) return;
        expect(r.score).toBeGreaterThanOrEqual(Math.max(0.2, Math.min(...xs)) - 1e-12);
        expect(r.score).toBeLessThanOrEqual(Math.min(5, Math.max(...xs)) + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('axis-level n and dontKnow count every answer and "don\'t know"', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = scenarioResult(s);
        const xs = s.groups.flatMap((g) => g.answers.map((a) => xOf(s, a)));
        expect(r.n).toBe(xs.filter((x) => x !== null).length);
        expect(r.dontKnow).toBe(xs.filter((x) => x === null).length);
      }),
    );
  });

  it('permuting respondents within their groups changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (s, keys) => {
        const shuffle = (xs: (number | null)[], i: number) =>
          xs
            .map((x, j) => ({ x, key: keys.at((i + j) % keys.length)! * 100 + j }))
            .sort((a, b) => a.key - b.key)
            .map((e) => e.x);
        expectClose(scenarioResult(s, shuffle), scenarioResult(s));
      }),
      { numRuns: 300 },
    );
  });

  it('equal weights and equal group sizes make the score equal the pooled mean', () => {
    const equalArb = fc
      .record({ k: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 8 }) })
      .chain(({ k, m }) =>
        fc.record({
          axis: axisArb,
          mode: modeArb,
          profile: profileArb,
          answers: fc.array(fc.array(fullAnswerArb, { minLength: m, maxLength: m }), {
            minLength: k,
            maxLength: k,
          }),
          weight: fc.constantFrom(0.5, 1, 2, 7),
          minGroupN: fc.integer({ min: 0, max: m }),
        }),
      );
    fc.assert(
      fc.property(equalArb, (e) => {
        const s: Scenario = {
          ...e,
          groups: e.answers.map((answers) => ({ answers, weight: e.weight, assigned: true })),
        };
        const r = scenarioResult(s);
        expect(r.score).not.toBeNull();
        expect(r.score!).toBeCloseTo(r.pooledMean!, 9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('properties: monotonicity', () => {
  /** Raises one criterion of one non-null answer (if the pick lands on one). */
  function raise(s: Scenario, gi: number, ri: number, k: Criterion, to: number): Scenario {
    const groups = s.groups.map((g, i) => {
      if (i !== gi % s.groups.length || g.answers.length === 0) return g;
      const answers = g.answers.map((a, j) =>
        j === ri % g.answers.length && a !== null ? { ...a, [k]: Math.max(a[k] as number, to) } : a,
      );
      return { ...g, answers };
    });
    return { ...s, groups };
  }

  const raiseArb = fc.tuple(scenarioArb, fc.nat(), fc.nat(), fc.constantFrom(...CRITERIA), level);

  it('raising one answer never lowers the axis score', () => {
    fc.assert(
      fc.property(raiseArb, ([s, gi, ri, k, to]) => {
        const before = scenarioResult(s).score;
        const after = scenarioResult(raise(s, gi, ri, k, to)).score;
        // n does not change, so inclusion does not either
        expect(after === null).toBe(before === null);
        if (before !== null) expect(after!).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('raising one answer never lowers the priority nor un-materialises the topic', () => {
    const financialArb = fc.array(
      fc.option(fc.double({ min: 0.2, max: 5, noNaN: true }), { nil: null }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(raiseArb, financialArb, settingsArb, ([s, gi, ri, k, to], fin, patch) => {
        const topicInput = (sc: Scenario): ScoringInput => {
          const impact = { ...sc, axis: 'impact' as const };
          const groups = [
            ...scenarioGroups(impact),
            { code: 'fin', instruments: ['financial' as const] },
          ];
          const tallies = Object.fromEntries(
            impact.groups.map((g, i) => [code(i), tallyFrom(g.answers.map((a) => xOf(impact, a)))]),
          );
          const weights = Object.fromEntries(impact.groups.map((g, i) => [code(i), g.weight]));
          return {
            topics: [topic('T')],
            groups,
            tallies: { T: { impact: tallies, financial: { fin: tallyFrom(fin) } } },
            settings: settings({ ...patch, weights }),
          };
        };
        const before = computeTopicResults(topicInput(s)).at(0)!;
        const after = computeTopicResults(topicInput(raise(s, gi, ri, k, to))).at(0)!;
        expect(after.priority).toBeGreaterThanOrEqual(before.priority);
        if (before.computedMaterial) expect(after.computedMaterial).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('properties: ranking', () => {
  const scoreArb = fc.option(
    fc.oneof(fc.constantFrom(1, 2, 3, 3.5, 5), fc.double({ min: 0.2, max: 5, noNaN: true })),
    {
      nil: null,
      freq: 4,
    },
  );
  const candidatesArb = fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 20 })
    .chain((codes) =>
      fc.tuple(
        ...codes.map((c) =>
          fc.record({ code: fc.constant(c), impact: scoreArb, financial: scoreArb }),
        ),
      ),
    );

  it('ranks are a permutation of 1..n, in priority order, with unscored topics last', () => {
    fc.assert(
      fc.property(candidatesArb, settingsArb, (topics, patch) => {
        const ranked = rankTopics(topics, settings(patch));
        expect(ranked.map((r) => r.rank)).toEqual(topics.map((_, i) => i + 1));
        expect(ranked.map((r) => r.code).sort()).toEqual(topics.map((t) => t.code).sort());
        const unscored = ranked.map((r) => r.impact === null && r.financial === null);
        expect(unscored).toEqual([...unscored].sort((a, b) => Number(a) - Number(b)));
        for (let i = 1; i < ranked.length; i++) {
          if (!unscored[i])
            expect(ranked.at(i)!.priority).toBeLessThanOrEqual(ranked.at(i - 1)!.priority + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the ranking does not depend on the input order', () => {
    fc.assert(
      fc.property(candidatesArb, settingsArb, (topics, patch) => {
        const forward = rankTopics(topics, settings(patch)).map((r) => r.code);
        const backward = rankTopics([...topics].reverse(), settings(patch)).map((r) => r.code);
        expect(backward).toEqual(forward);
      }),
    );
  });

  it('exceedance: P >= 1 when material and P < 1 when not (up to the threshold slack)', () => {
    fc.assert(
      fc.property(candidatesArb, settingsArb, (topics, patch) => {
        const s = settings({ ...patch, rankingMethod: 'exceedance' });
        const input: ScoringInput = {
          topics: topics.map((t) => topic(t.code)),
          groups: [{ code: 'g', instruments: ['impact', 'financial'] }],
          tallies: Object.fromEntries(
            topics.map((t) => [
              t.code,
              { impact: { g: tallyFrom([t.impact]) }, financial: { g: tallyFrom([t.financial]) } },
            ]),
          ),
          settings: s,
        };
        for (const r of computeTopicResults(input)) {
          if (r.computedMaterial) expect(r.priority).toBeGreaterThanOrEqual(1 - 1e-9);
          else expect(r.priority).toBeLessThan(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
