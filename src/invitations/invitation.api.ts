import { Router } from 'express';
import type { Config } from '../config';
import { createLinks } from './link.service';

/** /api/v1/assessments/:id/invitations (bearer-authenticated; roles are checked in the service). */
export function invitationApi(config: Config): Router {
  const r = Router();
  r.post('/assessments/:id/invitations', async (req, res) => {
    const links = await createLinks(req.user, req.params.id, req.body, config.publicUrl);
    res.status(201).json(
      links.map((l) => ({
        id: l.id,
        kind: l.kind,
        url: l.url,
        token: l.token,
        group: l.group,
        ...(l.email ? { email: l.email } : {}),
      })),
    );
  });
  return r;
}
