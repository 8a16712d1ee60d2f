import crypto from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { createAssessment, setStatus } from '../assessments/services/assessment.service';
import { markLocked } from '../assessments/services/assessment.store';
import { createUserUnchecked, findActiveUserByEmail } from '../auth/user.service';
import { generateResponses } from '../demo/synthetic';
import type { WithDb } from './index';

const DEMO_EMAIL = 'demo-seed@localhost.invalid';

export function registerDemoCommands(
  program: Command,
  withDb: WithDb,
  io: { out(s: string): void },
) {
  program
    .command('demo:seed')
    .description(
      'create a complete demo assessment (xiaomi-2024 template) with synthetic responses; prints its id',
    )
    .option(
      '--responses <n>',
      'number of synthetic responses',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 10_000_000)
          throw new InvalidArgumentError('a whole number from 0 to 10,000,000');
        return n;
      },
      2000,
    )
    .action(async (opts: { responses: number }) => {
      const id = await withDb(async () => {
        // The seed acts as a technical analyst account that cannot log in (random password).
        const actor =
          (await findActiveUserByEmail(DEMO_EMAIL)) ??
          (await createUserUnchecked({
            email: DEMO_EMAIL,
            password: cryptoPassword(),
            role: 'analyst',
          }));
        const a = await createAssessment(actor, {
          name: `Demo assessment ${new Date().getFullYear()}`,
          reportingYear: new Date().getFullYear(),
          template: 'xiaomi-2024',
        });
        await setStatus(actor, a._id, { status: 'open' });
        const bar = new SingleBar(
          { stream: process.stderr, format: 'responses [{bar}] {value}/{total} {eta}s left' },
          Presets.shades_classic,
        );
        bar.start(opts.responses, 0);
        await generateResponses(
          { ...a, status: 'open' },
          { count: opts.responses, onProgress: (n) => bar.update(n) },
        );
        bar.stop();
        if (opts.responses > 0) await markLocked(a._id);
        return a._id;
      });
      io.out(`${id}\n`);
    });
}

function cryptoPassword(): string {
  return crypto.randomBytes(24).toString('base64url');
}
