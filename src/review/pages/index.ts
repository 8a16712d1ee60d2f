import { Router } from 'express';
import { appendixPage } from '../appendix/appendix.routes';
import { auditRoutes } from './audit.routes';
import { copyRoutes } from './copy.routes';
import { reviewRoutes } from './review.routes';

export { reviewStamp } from './stamp.middleware';

/** The staff pages of review, sign-off, the audit trail and copying for next year. */
export function reviewPages(): Router {
  const r = Router();
  r.use(reviewRoutes());
  r.use(auditRoutes());
  r.use(copyRoutes());
  r.use(appendixPage());
  return r;
}
