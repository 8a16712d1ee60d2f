/**
 * Codes are chosen by users, and `constructor` or `toString` are valid codes: a plain `record[code]`
 * would find Object.prototype members. Only own properties count.
 */
export function ownValue<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
