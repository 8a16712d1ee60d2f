import { GroupStats, groupStatsId, type GroupStatsDoc } from './group-stats.model';

/**
 * Responses per day of submission, kept as one more flat counter `day:YYYY-MM-DD` (UTC) in each
 * group's document and raised by the same `$inc` that counts the response (responseIncrement), so
 * the overview's chart by day costs no extra write and never scans responses. A rebuild recomputes
 * it from the stored responses like every other counter.
 */
export type DayKey = `day:${string}`;

const DAY = /^day:(\d{4}-\d{2}-\d{2})$/;

/** Whether a group-document key is a day counter. */
export const isDayKey = (key: string): key is DayKey => DAY.test(key);

/** The counter key of the UTC day of `at`, or null without a valid date. */
export function dayKey(at: Date | string | null | undefined): DayKey | null {
  if (at === null || at === undefined) return null;
  const d = new Date(at);
  return Number.isFinite(+d) ? `day:${d.toISOString().slice(0, 10)}` : null;
}

/** Adds the day counters of one group document into `into` (day `YYYY-MM-DD` → responses). */
export function addDays(into: Map<string, number>, doc: Partial<GroupStatsDoc> | null): void {
  for (const [key, v] of Object.entries(doc ?? {})) {
    const day = DAY.exec(key)?.[1];
    if (day !== undefined && typeof v === 'number' && v > 0)
      into.set(day, (into.get(day) ?? 0) + v);
  }
}

/** Responses per UTC day over the given groups: one primary-key read per group. */
export async function responsesByDay(
  assessmentId: string,
  groups: readonly string[],
): Promise<Map<string, number>> {
  const docs = await Promise.all(
    groups.map((g) => GroupStats.findById(groupStatsId(assessmentId, g)).lean<GroupStatsDoc>()),
  );
  const days = new Map<string, number>();
  for (const d of docs) addDays(days, d);
  return days;
}
