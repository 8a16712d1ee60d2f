/**
 * Failure injection for tests: a named point in a write path throws when a test has armed it, so a
 * test can fail the path between any two writes against the real database (no mock). Off in
 * production: arming throws there, and an unarmed point is one Map lookup.
 */
const armed = new Map<string, number>();

export class InjectedFault extends Error {
  constructor(readonly point: string) {
    super(`injected fault at ${point}`);
  }
}

/** Makes the next `times` passes through `point` throw. */
export function armFault(point: string, times = 1): void {
  if (process.env.NODE_ENV === 'production') throw new Error('fault injection is off in production');
  armed.set(point, times);
}

export function disarmFaults(): void {
  armed.clear();
}

export function faultPoint(point: string): void {
  const left = armed.get(point);
  if (left === undefined) return;
  if (left <= 1) armed.delete(point);
  else armed.set(point, left - 1);
  throw new InjectedFault(point);
}
