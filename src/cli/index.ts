import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { openDatabase, Database } from '../db/database';
import { createLogger } from '../shared/logger';
import { AppError, ValidationError } from '../shared/errors';
import { translator } from '../shared/i18n';
import { registerUserCommands } from './user.commands';
import { registerResultsCommands } from './results.commands';
import { registerResponseCommands } from './response.commands';
import { registerDemoCommands } from './demo.commands';
import { registerMailCommands } from './mail.commands';
import { registerLocales } from '../locales';
import { useLinkRefSecret } from '../invitations/link-ref';

export type WithDb = <T>(fn: () => Promise<T>) => Promise<T>;

/** Builds the program; `io` is injectable so tests can run commands in-process. */
export function buildProgram(
  withDb: WithDb,
  io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) },
) {
  registerLocales();
  const program = new Command();
  program
    .name('npm run cli --')
    .description('Operator commands for the materiality platform')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  registerUserCommands(program, withDb, io);
  registerResultsCommands(program, withDb, io);
  registerResponseCommands(program, withDb, io);
  registerDemoCommands(program, withDb, io);
  registerMailCommands(program, withDb, io);
  return program;
}

export function describeError(err: unknown): string {
  const en = translator('en');
  if (err instanceof ValidationError)
    return err.fields.map((f) => `${f.path}: ${en(f.message)}`).join('\n');
  if (err instanceof AppError) return en(err.message);
  if (err instanceof ConfigError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

async function main(argv: string[]) {
  let db: Database | undefined;
  const withDb: WithDb = async (fn) => {
    const config = loadConfig();
    useLinkRefSecret(config.linkRefSecret);
    const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
    db = await openDatabase(config, logger);
    return fn();
  };
  const program = buildProgram(withDb);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`error: ${describeError(err)}\n`);
    return 1;
  } finally {
    await db?.close();
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => process.exit(code));
}
