import {
  durationBucket,
  flagsOf,
  histogramMedian,
  isSpeeder,
  straightLined,
} from '../../src/results/tallies/quality-flags';

const rating = (
  topic: string,
  significance: number | null,
  instrument: 'impact' | 'financial' = 'impact',
) => ({
  instrument,
  topic,
  significance,
});

describe('straight-lining (methodology section 7)', () => {
  it('flags 5 identical answered items in one instrument', () => {
    expect(straightLined(['a', 'b', 'c', 'd', 'e'].map((t) => rating(t, 3)))).toBe(true);
  });

  it('does not flag 4 items, a differing item, or identical items spread over two instruments', () => {
    expect(straightLined(['a', 'b', 'c', 'd'].map((t) => rating(t, 3)))).toBe(false);
    expect(straightLined([...['a', 'b', 'c', 'd'].map((t) => rating(t, 3)), rating('e', 4)])).toBe(
      false,
    );
    const split = [
      ...['a', 'b', 'c'].map((t) => rating(t, 2)),
      ...['a', 'b'].map((t) => rating(t, 2, 'financial')),
    ];
    expect(straightLined(split)).toBe(false);
  });

  it('does not count "don\'t know" as an answered item', () => {
    expect(
      straightLined([...['a', 'b', 'c', 'd'].map((t) => rating(t, 5)), rating('e', null)]),
    ).toBe(false);
  });

  it('counts every criterion of assessment mode as an item', () => {
    const a = (topic: string) => ({
      instrument: 'financial' as const,
      topic,
      magnitude: 4,
      likelihood: 4,
    });
    expect(straightLined([a('x'), a('y'), a('z')])).toBe(true); // 6 items, all 4
    expect(straightLined([a('x'), a('y')])).toBe(false); // 4 items
  });
});

describe('speeder (methodology section 7)', () => {
  const ref = (median: number, n: number) => ({ median, n });

  it('flags below 0.4 × the median once 10 responses exist', () => {
    expect(isSpeeder(39_000, ref(100_000, 10))).toBe(true);
    expect(isSpeeder(40_000, ref(100_000, 10))).toBe(false);
    expect(isSpeeder(1_000, ref(100_000, 9))).toBe(false);
    expect(isSpeeder(null, ref(100_000, 50))).toBe(false);
  });

  it('takes the median from the completion-time histogram within its 5% buckets', () => {
    const hist = new Map<number, number>();
    for (const s of [60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160])
      hist.set(durationBucket(s * 1000), (hist.get(durationBucket(s * 1000)) ?? 0) + 1);
    const { median, n } = histogramMedian(hist);
    expect(n).toBe(11);
    expect(Math.abs(median - 110_000) / 110_000).toBeLessThan(0.03);
  });

  it('combines both classes in a fixed order', () => {
    const answers = ['a', 'b', 'c', 'd', 'e'].map((t) => rating(t, 1));
    expect(flagsOf(answers, 5_000, ref(100_000, 20))).toEqual(['straightLining', 'speeder']);
    expect(flagsOf(answers.slice(0, 2), 50_000, ref(100_000, 20))).toEqual([]);
  });
});
