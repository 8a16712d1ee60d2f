import { Command } from 'commander';
import { deleteInvitees } from '../mail/invitees-delete';
import type { WithDb } from './index';

export function registerMailCommands(
  program: Command,
  withDb: WithDb,
  io: { out(s: string): void; err(s: string): void },
) {
  program
    .command('invitees:delete')
    .description(
      "delete the invitees' names and e-mail addresses of a closed assessment (responses and counts stay)",
    )
    .requiredOption('--assessment <id>', 'the assessment id')
    .action(async (opts: { assessment: string }) => {
      const r = await withDb(() => deleteInvitees('cli', opts.assessment));
      io.out(`deleted the names and addresses of ${r.links} invitees (${r.messages} messages)\n`);
    });
}
