import { CRITERIA, type Axis, type Criteria } from '../../scoring';

/**
 * Response-quality flags (methodology section 7). Pure: the submission computes them once and
 * stores them with the response; the tallies keep what each flag class contributed, so excluding a
 * class is a subtraction, never a scan of the responses.
 */
export type FlagClass = 'straightLining' | 'speeder';
export const FLAG_CLASSES: readonly FlagClass[] = ['straightLining', 'speeder'];

export const isFlagClass = (v: unknown): v is FlagClass =>
  typeof v === 'string' && (FLAG_CLASSES as readonly string[]).includes(v);

/** At least this many answered items in an instrument, all identical, is straight-lining. */
export const STRAIGHT_LINE_MIN_ITEMS = 5;
/** Faster than this share of the median completion time is a speeder... */
export const SPEEDER_SHARE = 0.4;
/** ...once the median rests on at least this many responses. */
export const SPEEDER_MIN_RESPONSES = 10;

type Answer = { instrument: Axis; topic: string } & Criteria;

/**
 * Straight-lining: in some instrument, at least 5 answered items (each criterion value given, "don't
 * know" not counted) and all of them the same value.
 */
export function straightLined(answers: readonly Answer[]): boolean {
  const byInstrument = new Map<Axis, number[]>();
  for (const a of answers) {
    const values = byInstrument.get(a.instrument) ?? [];
    for (const c of CRITERIA) {
      const v = a[c];
      if (typeof v === 'number') values.push(v);
    }
    byInstrument.set(a.instrument, values);
  }
  for (const values of byInstrument.values())
    if (values.length >= STRAIGHT_LINE_MIN_ITEMS && values.every((v) => v === values[0]))
      return true;
  return false;
}

/**
 * Completion times are kept as a histogram with 5% wide buckets (bucket b holds durations in
 * [1.05^b, 1.05^(b+1)) seconds), so a median over any number of responses costs a few keys.
 */
const BUCKET_RATIO = 1.05;
export const durationBucket = (ms: number): number =>
  Math.max(0, Math.floor(Math.log(Math.max(ms, 1000) / 1000) / Math.log(BUCKET_RATIO)));

/** The median of a histogram, taking each bucket at its geometric middle. */
export function histogramMedian(hist: ReadonlyMap<number, number>): { median: number; n: number } {
  const n = [...hist.values()].reduce((a, b) => a + b, 0);
  if (n === 0) return { median: NaN, n };
  const buckets = [...hist.keys()].sort((a, b) => a - b);
  const middle = (b: number) => 1000 * BUCKET_RATIO ** (b + 0.5);
  // the average of the two middle order statistics for an even count, as a median is
  const at = (k: number) => {
    let seen = 0;
    for (const b of buckets) {
      seen += hist.get(b) ?? 0;
      if (seen > k) return middle(b);
    }
    return middle(buckets[buckets.length - 1]!);
  };
  return { median: n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2, n };
}

/** Speeder: below 0.4 × the median completion time of the same questionnaire, once ≥ 10 exist. */
export function isSpeeder(
  durationMs: number | null | undefined,
  reference: { median: number; n: number },
): boolean {
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs)) return false;
  if (reference.n < SPEEDER_MIN_RESPONSES) return false;
  return durationMs < SPEEDER_SHARE * reference.median;
}

/** The flags of one response, in FLAG_CLASSES order. */
export function flagsOf(
  answers: readonly Answer[],
  durationMs: number | null | undefined,
  reference: { median: number; n: number },
): FlagClass[] {
  const flags: FlagClass[] = [];
  if (straightLined(answers)) flags.push('straightLining');
  if (isSpeeder(durationMs, reference)) flags.push('speeder');
  return flags;
}
