/** The audit actions of api.md ("more may be added"): the log accepts these and no others. */
export const AUDIT_ACTIONS = [
  'assessment.create',
  'assessment.update',
  'assessment.status',
  'assessment.copy',
  'topic.create',
  'topic.update',
  'topic.delete',
  'group.create',
  'group.update',
  'group.delete',
  'iro.create',
  'iro.delete',
  'links.create',
  'link.revoke',
  'override.set',
  'override.delete',
  'review.decision',
  'signoff',
  'reopen',
  'export',
  'user.create',
  'user.update',
  'token.create',
  'token.revoke',
  'login.failed',
  'results.rebuild',
  'exclusion.set',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (s: unknown): s is AuditAction =>
  typeof s === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(s);
