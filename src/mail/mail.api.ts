import { Router } from 'express';
import type { Config } from '../config';
import { listMessages } from './messages.service';
import { queueInvitations, queueReminders } from './queue.service';

/** /api/v1/assessments/:id/{invitations/send, reminders/send, messages} (api.md, E-mail). */
export function mailApi(config: Config): Router {
  const r = Router();
  r.post('/assessments/:id/invitations/send', async (req, res) => {
    res
      .status(202)
      .json(await queueInvitations(req.user, req.params.id, req.body, config.publicUrl));
  });
  r.post('/assessments/:id/reminders/send', async (req, res) => {
    res.status(202).json(await queueReminders(req.user, req.params.id, req.body, config.publicUrl));
  });
  r.get('/assessments/:id/messages', async (req, res) => {
    res.json(await listMessages(req.user, req.params.id, req.query));
  });
  return r;
}
