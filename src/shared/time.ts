// Times as staff pages show them: in the assessment's time zone (an IANA name such as
// Asia/Hong_Kong), or the server's when the assessment has none.

/** The server's own time zone, the default of every assessment. */
export const serverTimeZone = (): string =>
  Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** True for a time zone name this runtime knows (Intl throws a RangeError for others). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `2025-03-01 17:30` in `timeZone` (24-hour clock), with the zone's name to print beside it. */
export function formatInZone(
  at: Date | string,
  timeZone: string | undefined,
): { iso: string; text: string; zone: string } {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : serverTimeZone();
  const d = new Date(at);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return {
    iso: d.toISOString(),
    text: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`,
    zone,
  };
}
