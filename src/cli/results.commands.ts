import { Command } from 'commander';
import { rebuildTallies } from '../results/tallies/rebuild.service';
import type { WithDb } from './index';

export function registerResultsCommands(
  program: Command,
  withDb: WithDb,
  io: { out(s: string): void; err(s: string): void },
) {
  program
    .command('results:rebuild')
    .description('recompute every derived figure of an assessment from its stored responses')
    .requiredOption('--assessment <id>', 'the assessment id')
    .action(async (opts: { assessment: string }) => {
      const r = await withDb(() =>
        rebuildTallies(opts.assessment, (n) => io.err(`\rrebuilt from ${n} responses`)),
      );
      io.err('\n');
      io.out(`rebuilt ${opts.assessment} from ${r.responses} responses\n`);
    });
}
