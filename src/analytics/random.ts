import mt19937 from '@stdlib/random-base-mt19937';
import gammaRandom from '@stdlib/random-base-gamma';
import normalRandom from '@stdlib/random-base-normal';

/**
 * The one source of randomness of the analytics: a 32-bit Mersenne Twister (stdlib's) seeded with
 * the seed stored with the result, so the same inputs and seed replay the same draws. The normal
 * and gamma variates are stdlib's samplers fed from that same generator, never from Math.random.
 */
export interface Rng {
  /** uniform on [0, 1) */
  uniform(): number;
  /** uniform integer on 0..n-1 */
  int(n: number): number;
  /** standard normal */
  normal(): number;
  /** gamma with shape alpha and rate 1 */
  gamma(alpha: number): number;
}

/** The seed stored with every result unless another is asked for. */
export const DEFAULT_SEED = 20260101;

export function createRng(seed: number): Rng {
  // mt19937 takes a seed in 1..2^32-1; fold anything else into that range the same way every time.
  const s = (Math.abs(Math.trunc(seed)) % 0xfffffffe) + 1;
  const base = mt19937.factory({ seed: s });
  // `normalized` (uniform on [0, 1) from the same state) is documented but missing from the typings.
  const uniform = (base as unknown as { normalized: () => number }).normalized;
  const normal = normalRandom.factory(0, 1, { prng: uniform });
  const gamma = gammaRandom.factory({ prng: uniform });
  return {
    uniform,
    int: (n) => Math.floor(uniform() * n),
    normal: () => normal(),
    gamma: (alpha) => gamma(alpha, 1),
  };
}
