import { Command } from 'commander';
import { createToken } from '../auth/token.service';
import { createUserUnchecked, findActiveUserByEmail } from '../auth/user.service';
import { AppError } from '../shared/errors';
import type { WithDb } from './index';

export function registerUserCommands(
  program: Command,
  withDb: WithDb,
  io: { out(s: string): void },
) {
  program
    .command('users:create')
    .description('create a user')
    .requiredOption('--email <email>', 'e-mail address (the login name)')
    .requiredOption('--password <password>', 'password, at least 12 characters')
    .requiredOption('--role <role>', 'admin | analyst | approver | viewer')
    .action(async (opts: { email: string; password: string; role: string }) => {
      const user = await withDb(() => createUserUnchecked(opts));
      io.out(`created ${user.role} ${user.email} (${user.id})\n`);
    });

  program
    .command('tokens:create')
    .description('print a new API token for a user (only its hash is stored)')
    .requiredOption('--email <email>', 'the user the token acts as')
    .option('--name <name>', 'a label for the token', 'cli')
    .action(async (opts: { email: string; name: string }) => {
      const token = await withDb(async () => {
        const user = await findActiveUserByEmail(opts.email);
        if (!user)
          throw new AppError(404, 'not_found', `No active user with the e-mail ${opts.email}.`);
        return (await createToken(user, opts.name, null)).token;
      });
      io.out(`${token}\n`);
    });
}
