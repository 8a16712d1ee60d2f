import { AppError } from '../shared/errors';

export const ROLES = ['admin', 'analyst', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

export type Action = 'read' | 'write' | 'signoff' | 'manageUsers';

// api.md: viewer reads; analyst and admin also write; approver also signs off; admin manages users.
// Choice: admin may also sign off, so that a small team is never stuck without an approver.
const GRANTS: Record<Action, readonly Role[]> = {
  read: ROLES,
  write: ['analyst', 'admin'],
  signoff: ['approver', 'admin'],
  manageUsers: ['admin'],
};

export function can(user: SessionUser | undefined, action: Action): boolean {
  return !!user && GRANTS[action].includes(user.role);
}

/** Services call this: roles are enforced where the work is done, not only in routes. */
export function assertCan(
  user: SessionUser | undefined,
  action: Action,
): asserts user is SessionUser {
  if (!user) throw new AppError(401, 'unauthorized', 'errors.authRequired');
  if (!can(user, action)) throw new AppError(403, 'forbidden', 'errors.forbidden');
}
