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
  if (process.env.NODE_ENV === 'production')
    throw new Error('fault injection is off in production');
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

/**
 * The non-throwing sibling of faultPoint: a named point in a path awaits a callback a test has
 * registered, so the test can act between a read and a write (e.g. lock the assessment) against the
 * real database. Off in production like the faults; an unregistered point is one Map lookup.
 */
const hooks = new Map<string, { fn: () => Promise<void>; left: number }>();

/** Runs `fn` on the next `times` passes through `point`. */
export function onHookPoint(point: string, fn: () => Promise<void>, times = 1): void {
  if (process.env.NODE_ENV === 'production')
    throw new Error('fault injection is off in production');
  hooks.set(point, { fn, left: times });
}

export function clearHookPoints(): void {
  hooks.clear();
}

export async function hookPoint(point: string): Promise<void> {
  const hook = hooks.get(point);
  if (!hook) return;
  if (hook.left <= 1) hooks.delete(point);
  else hook.left -= 1;
  await hook.fn();
}
