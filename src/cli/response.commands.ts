import { Command } from 'commander';
import { loadConfig } from '../config';
import { rekeyLinkRefs } from '../invitations/link-rekey';
import type { WithDb } from './index';

export function registerResponseCommands(
  program: Command,
  withDb: WithDb,
  io: { out(s: string): void; err(s: string): void },
) {
  program
    .command('responses:rekey-links')
    .description(
      'rewrite the link references of stored responses to the keyed form (LINK_REF_SECRET); ' +
        'safe to run again, and while the app runs',
    )
    .option('--assessment <id>', 'one assessment only (default: all)')
    .action(async (opts: { assessment?: string }) => {
      const r = await withDb(() =>
        rekeyLinkRefs(
          {
            assessmentId: opts.assessment,
            previousSecret: loadConfig().linkRefSecretPrevious,
          },
          (id, n) => io.err(`\r${id}: ${n} responses read`),
        ),
      );
      io.err('\n');
      io.out(
        `rekeyed ${r.assessments} assessments: ${r.moved} personal responses moved, ` +
          `${r.relabelled} open-link responses relabelled, ${r.duplicatesRemoved} second ` +
          `submissions removed, counters rebuilt for ${r.rebuilt.length}` +
          (r.pending
            ? `; ${r.pending} personal responses not counted yet were left: run it again\n`
            : '\n'),
      );
    });
}
