/**
 * Codes are chosen by users, and `__proto__`, `constructor` or `toString` are valid codes: a plain
 * `record[code]` would find Object.prototype members, and `record[code] = v` with `__proto__` on an
 * ordinary object replaces its prototype instead of storing a value. Only own properties count.
 */
export function ownValue<V>(
  record: Readonly<Record<string, V>> | undefined,
  key: string,
): V | undefined {
  return record !== undefined && record !== null && Object.hasOwn(record, key)
    ? record[key]
    : undefined;
}

/**
 * A record keyed by user input: no prototype, so every string (`__proto__` included) is an
 * ordinary own key, for reading, writing, `in`, Object.entries and JSON.stringify alike.
 */
export function dict<V>(entries?: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  if (entries) for (const [key, value] of entries) out[key] = value;
  return out;
}

/** A prototype-less copy of the own enumerable entries of `record` (e.g. parsed JSON). */
export const dictOf = <V>(record: Readonly<Record<string, V>> | undefined): Record<string, V> =>
  dict(Object.entries(record ?? {}));
