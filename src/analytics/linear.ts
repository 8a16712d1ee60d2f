/**
 * Lower-triangular L with L·Lᵀ = A for a symmetric positive semi-definite k×k matrix (row-major).
 * A pivot that is (numerically) zero — a column with no variance, or one that is a combination of
 * earlier ones — gets a zero column instead of a division by zero, which keeps L·Lᵀ = A for the
 * covariance matrices used here. Twenty lines do not justify a linear-algebra dependency.
 */
export function choleskySemidefinite(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, a[i * k + i]!);
  const tolerance = 1e-12 * Math.max(scale, 1e-300);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let p = 0; p < j; p++) d -= l[j * k + p]! ** 2;
    if (d <= tolerance) continue;
    const root = Math.sqrt(d);
    l[j * k + j] = root;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= l[i * k + p]! * l[j * k + p]!;
      l[i * k + j] = s / root;
    }
  }
  return l;
}
