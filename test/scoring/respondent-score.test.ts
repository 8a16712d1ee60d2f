import {
  AXES,
  DEFAULT_IMPACT_PROFILE,
  requiredCriteria,
  respondentScore,
  severity,
  usesLikelihood,
  type Axis,
  type Criteria,
  type Criterion,
  type ImpactProfile,
  type InstrumentMode,
} from '../../src/scoring';

const profile = (
  nature: ImpactProfile['nature'],
  occurrence: ImpactProfile['occurrence'],
  humanRights = false,
): ImpactProfile => ({ nature, occurrence, humanRights });

const NEG_ACTUAL = profile('negative', 'actual');
const NEG_POTENTIAL = profile('negative', 'potential');
const NEG_POTENTIAL_HR = profile('negative', 'potential', true);
const NEG_ACTUAL_HR = profile('negative', 'actual', true);
const POS_ACTUAL = profile('positive', 'actual');
const POS_POTENTIAL = profile('positive', 'potential');
const POS_POTENTIAL_HR = profile('positive', 'potential', true);
const ALL_PROFILES = [
  NEG_ACTUAL,
  NEG_POTENTIAL,
  NEG_POTENTIAL_HR,
  NEG_ACTUAL_HR,
  POS_ACTUAL,
  POS_POTENTIAL,
  POS_POTENTIAL_HR,
];
const MODES: InstrumentMode[] = ['rating', 'assessment'];

const GOLDEN = { scale: 4, scope: 2, irremediability: 5, likelihood: 3 };

describe('severity', () => {
  it('golden: negative 4, 2, 5 -> S = (3.6667 + 5) / 2 = 4.3333', () => {
    expect(severity('negative', GOLDEN)).toBeCloseTo(4.3333, 4);
    expect(severity('negative', GOLDEN)).toBeCloseTo(13 / 3, 12);
  });
  it('positive severity is mean(scale, scope) and ignores irremediability', () => {
    expect(severity('positive', GOLDEN)).toBe(3);
    expect(severity('positive', { scale: 4, scope: 2, irremediability: null })).toBe(3);
  });
  it('one severe characteristic lifts a negative severity above the plain mean', () => {
    expect(severity('negative', { scale: 1, scope: 1, irremediability: 5 })).toBeCloseTo(
      (7 / 3 + 5) / 2,
      12,
    );
  });
  it('is null when a characteristic it needs is missing', () => {
    expect(severity('negative', { scale: 4, scope: 2 })).toBeNull();
    expect(severity('positive', { scale: 4, scope: null })).toBeNull();
  });
});

describe('respondentScore: worked examples of methodology section 9', () => {
  it.each<[string, Axis, InstrumentMode, Criteria, ImpactProfile | undefined, number]>([
    [
      'impact assessment, negative potential -> 2.6',
      'impact',
      'assessment',
      GOLDEN,
      NEG_POTENTIAL,
      2.6,
    ],
    [
      'same answers with humanRights -> 4.3333',
      'impact',
      'assessment',
      GOLDEN,
      NEG_POTENTIAL_HR,
      4.3333,
    ],
    [
      'positive actual, scale 4, scope 2 -> 3',
      'impact',
      'assessment',
      { scale: 4, scope: 2 },
      POS_ACTUAL,
      3,
    ],
    [
      'financial assessment, magnitude 4, likelihood 2 -> 1.6',
      'financial',
      'assessment',
      { magnitude: 4, likelihood: 2 },
      undefined,
      1.6,
    ],
  ])('%s', (_label, axis, mode, c, p, expected) => {
    expect(respondentScore(axis, mode, c, p)).toBeCloseTo(expected, 4);
  });
});

describe('respondentScore: every mode and profile', () => {
  it.each<[string, Axis, InstrumentMode, Criteria, ImpactProfile | undefined, number]>([
    ['impact rating is the significance', 'impact', 'rating', { significance: 4 }, undefined, 4],
    [
      'impact rating ignores assessment criteria',
      'impact',
      'rating',
      { significance: 2, scale: 5, scope: 5 },
      NEG_ACTUAL,
      2,
    ],
    [
      'financial rating is the significance',
      'financial',
      'rating',
      { significance: 2, magnitude: 5 },
      undefined,
      2,
    ],
    [
      'financial assessment ignores significance',
      'financial',
      'assessment',
      { significance: 5, magnitude: 5, likelihood: 1 },
      undefined,
      1,
    ],
    [
      'negative actual: x = S, no likelihood discount',
      'impact',
      'assessment',
      { ...GOLDEN, likelihood: 1 },
      NEG_ACTUAL,
      13 / 3,
    ],
    ['negative actual human rights: x = S', 'impact', 'assessment', GOLDEN, NEG_ACTUAL_HR, 13 / 3],
    [
      'negative potential human rights needs no likelihood',
      'impact',
      'assessment',
      { ...GOLDEN, likelihood: null },
      NEG_POTENTIAL_HR,
      13 / 3,
    ],
    [
      'positive actual ignores likelihood and irremediability',
      'impact',
      'assessment',
      { scale: 4, scope: 2, irremediability: null, likelihood: 1 },
      POS_ACTUAL,
      3,
    ],
    [
      'positive potential: S x likelihood / 5',
      'impact',
      'assessment',
      { scale: 4, scope: 2, likelihood: 1 },
      POS_POTENTIAL,
      0.6,
    ],
    [
      'human rights does not lift a positive potential impact',
      'impact',
      'assessment',
      { scale: 4, scope: 2, likelihood: 3 },
      POS_POTENTIAL_HR,
      1.8,
    ],
    [
      'no profile given: default negative actual',
      'impact',
      'assessment',
      { scale: 4, scope: 2, irremediability: 5 },
      undefined,
      13 / 3,
    ],
    [
      'lowest possible score is 0.2',
      'impact',
      'assessment',
      { scale: 1, scope: 1, irremediability: 1, likelihood: 1 },
      NEG_POTENTIAL,
      0.2,
    ],
    [
      'highest possible score is 5',
      'impact',
      'assessment',
      { scale: 5, scope: 5, irremediability: 5, likelihood: 5 },
      NEG_POTENTIAL,
      5,
    ],
    [
      'financial lowest is 0.2',
      'financial',
      'assessment',
      { magnitude: 1, likelihood: 1 },
      undefined,
      0.2,
    ],
  ])('%s', (_label, axis, mode, c, p, expected) => {
    expect(respondentScore(axis, mode, c, p)).toBeCloseTo(expected, 12);
  });

  it('the default profile is negative, actual, not human rights', () => {
    expect(DEFAULT_IMPACT_PROFILE).toEqual(NEG_ACTUAL);
    expect(respondentScore('impact', 'assessment', { scale: 4, scope: 2 })).toBeNull();
  });
});

describe('respondentScore: null handling', () => {
  it.each<[string, Axis, InstrumentMode, Criteria, ImpactProfile | undefined]>([
    ['rating with null significance', 'impact', 'rating', { significance: null }, undefined],
    [
      'rating with no significance',
      'financial',
      'rating',
      { magnitude: 4, likelihood: 4 },
      undefined,
    ],
    [
      'financial with null magnitude',
      'financial',
      'assessment',
      { magnitude: null, likelihood: 2 },
      undefined,
    ],
    ['financial with missing likelihood', 'financial', 'assessment', { magnitude: 4 }, undefined],
    [
      'negative potential with null likelihood',
      'impact',
      'assessment',
      { ...GOLDEN, likelihood: null },
      NEG_POTENTIAL,
    ],
    [
      'negative with null irremediability',
      'impact',
      'assessment',
      { ...GOLDEN, irremediability: null },
      NEG_ACTUAL,
    ],
    ['positive with null scope', 'impact', 'assessment', { scale: 4, scope: null }, POS_ACTUAL],
    ['an empty answer', 'impact', 'assessment', {}, POS_ACTUAL],
  ])('%s -> null (a partial answer is not a score)', (_label, axis, mode, c, p) => {
    expect(respondentScore(axis, mode, c, p)).toBeNull();
  });

  it('0 is an answer, not "don\'t know" (only null is)', () => {
    expect(respondentScore('impact', 'rating', { significance: 0 })).toBe(0);
  });
});

describe('requiredCriteria', () => {
  it.each<[string, Axis, InstrumentMode, ImpactProfile | undefined, Criterion[]]>([
    ['impact rating', 'impact', 'rating', NEG_POTENTIAL, ['significance']],
    ['financial rating', 'financial', 'rating', undefined, ['significance']],
    ['financial assessment', 'financial', 'assessment', undefined, ['magnitude', 'likelihood']],
    [
      'impact assessment, default profile',
      'impact',
      'assessment',
      undefined,
      ['scale', 'scope', 'irremediability'],
    ],
    ['negative actual', 'impact', 'assessment', NEG_ACTUAL, ['scale', 'scope', 'irremediability']],
    [
      'negative potential',
      'impact',
      'assessment',
      NEG_POTENTIAL,
      ['scale', 'scope', 'irremediability', 'likelihood'],
    ],
    [
      'negative potential human rights',
      'impact',
      'assessment',
      NEG_POTENTIAL_HR,
      ['scale', 'scope', 'irremediability'],
    ],
    [
      'negative actual human rights',
      'impact',
      'assessment',
      NEG_ACTUAL_HR,
      ['scale', 'scope', 'irremediability'],
    ],
    ['positive actual', 'impact', 'assessment', POS_ACTUAL, ['scale', 'scope']],
    ['positive potential', 'impact', 'assessment', POS_POTENTIAL, ['scale', 'scope', 'likelihood']],
    [
      'positive potential human rights',
      'impact',
      'assessment',
      POS_POTENTIAL_HR,
      ['scale', 'scope', 'likelihood'],
    ],
  ])('%s', (_label, axis, mode, p, expected) => {
    expect(requiredCriteria(axis, mode, p)).toEqual(expected);
  });

  it('lists exactly the criteria whose absence nulls the score, for every axis, mode and profile', () => {
    const full: Criteria = {
      significance: 3,
      scale: 4,
      scope: 2,
      irremediability: 5,
      likelihood: 3,
      magnitude: 4,
    };
    const all = Object.keys(full) as Criterion[];
    for (const axis of AXES) {
      for (const mode of MODES) {
        for (const p of ALL_PROFILES) {
          const required = requiredCriteria(axis, mode, p);
          expect(respondentScore(axis, mode, full, p)).not.toBeNull();
          for (const k of all) {
            const nulled = respondentScore(axis, mode, { ...full, [k]: null }, p);
            expect({ axis, mode, p, k, isNull: nulled === null }).toEqual({
              axis,
              mode,
              p,
              k,
              isNull: required.includes(k),
            });
          }
        }
      }
    }
  });

  it('usesLikelihood only for potential impacts that are not negative human-rights impacts', () => {
    expect(ALL_PROFILES.map(usesLikelihood)).toEqual([
      false,
      true,
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
