/** Small helpers for the benchmark: timing and percentiles. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
export const summary = (xs: number[]) =>
  `median ${fmt(percentile(xs, 50))}, p95 ${fmt(percentile(xs, 95))}`;
