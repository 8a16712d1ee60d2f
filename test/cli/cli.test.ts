import { CommanderError } from 'commander';
import request from 'supertest';
import { ApiToken } from '../../src/auth/token.model';
import { hashToken } from '../../src/auth/token.service';
import { User } from '../../src/auth/user.model';
import { buildProgram, describeError, WithDb } from '../../src/cli/index';
import { AppError, ValidationError } from '../../src/shared/errors';
import { makeApp, PASSWORD } from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();

/** Runs the CLI in-process on the test file's open connection; returns what it printed. */
async function run(...args: string[]): Promise<{ out: string; err: string; error?: unknown }> {
  let out = '';
  let err = '';
  let dbCalls = 0;
  const withDb: WithDb = (fn) => {
    dbCalls++;
    return fn();
  };
  // (buildProgram's io type is inferred from process.stdout.write, hence the `true`.)
  const io = {
    out: (s: string) => ((out += s), true),
    err: (s: string) => ((err += s), true),
  };
  const program = buildProgram(withDb, io);
  try {
    await program.parseAsync(args, { from: 'user' });
    expect(dbCalls).toBe(1);
    return { out, err };
  } catch (error) {
    return { out, err, error };
  }
}

let n = 0;
const email = () => `cli-${++n}-${Date.now()}@example.com`;

describe('users:create', () => {
  it('creates a user and names it', async () => {
    const e = email();
    const { out, error } = await run(
      'users:create',
      '--email',
      e.toUpperCase(),
      '--password',
      PASSWORD,
      '--role',
      'analyst',
    );
    expect(error).toBeUndefined();
    const doc = await User.findOne({ email: e }).lean<{
      _id: unknown;
      role: string;
      passwordHash: string;
    }>();
    expect(doc).not.toBeNull();
    expect(doc!.role).toBe('analyst');
    expect(doc!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(out).toBe(`created analyst ${e} (${String(doc!._id)})\n`);
  });

  it('rejects a duplicate with a clear AppError', async () => {
    const e = email();
    expect(
      (await run('users:create', '--email', e, '--password', PASSWORD, '--role', 'viewer')).error,
    ).toBeUndefined();
    const { out, error } = await run(
      'users:create',
      '--email',
      e,
      '--password',
      PASSWORD,
      '--role',
      'admin',
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('duplicate_email');
    expect(describeError(error)).toBe('A user with this e-mail already exists.');
    expect(out).toBe('');
    expect(await User.countDocuments({ email: e })).toBe(1);
    expect((await User.findOne({ email: e }).lean<{ role: string }>())!.role).toBe('viewer');
  });

  it('rejects a weak password with a ValidationError that mentions 12 characters', async () => {
    const e = email();
    const { error } = await run(
      'users:create',
      '--email',
      e,
      '--password',
      'short',
      '--role',
      'viewer',
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(describeError(error)).toContain('12 characters');
    expect(describeError(error)).toMatch(/^password: /);
    expect(await User.findOne({ email: e })).toBeNull();
  });

  it('rejects a bad e-mail and an unknown role, naming both fields', async () => {
    const { error } = await run(
      'users:create',
      '--email',
      'nope',
      '--password',
      PASSWORD,
      '--role',
      'root',
    );
    expect(error).toBeInstanceOf(ValidationError);
    const text = describeError(error);
    expect(text).toContain('email: Enter a valid e-mail address.');
    expect(text).toMatch(/^role: .*"analyst"/m);
  });

  it('needs all three options (a usage error, not a crash)', async () => {
    const { error, err } = await run('users:create', '--email', email(), '--password', PASSWORD);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).not.toBe(0);
    expect(err).toContain('--role');
  });
});

describe('tokens:create', () => {
  it('prints exactly one line: a working token, whose hash only is stored', async () => {
    const e = email();
    await run('users:create', '--email', e, '--password', PASSWORD, '--role', 'approver');
    const { out, error } = await run('tokens:create', '--email', e, '--name', 'nightly');
    expect(error).toBeUndefined();
    expect(out).toMatch(/^dma_[A-Za-z0-9_-]{43}\n$/);
    const token = out.trim();

    const doc = await ApiToken.findById(hashToken(token)).lean<{ name: string }>();
    expect(doc).toMatchObject({ name: 'nightly' });
    const res = await request(makeApp()).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: e, role: 'approver' });
  });

  it('names the token "cli" by default', async () => {
    const e = email();
    await run('users:create', '--email', e, '--password', PASSWORD, '--role', 'viewer');
    const { out } = await run('tokens:create', '--email', e);
    expect(await ApiToken.findById(hashToken(out.trim())).lean()).toMatchObject({ name: 'cli' });
  });

  it('fails clearly for an unknown e-mail and prints nothing', async () => {
    const e = email();
    const { out, error } = await run('tokens:create', '--email', e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(404);
    expect(describeError(error)).toBe(`No active user with the e-mail ${e}.`);
    expect(out).toBe('');
  });

  it('fails for a disabled user', async () => {
    const e = email();
    await run('users:create', '--email', e, '--password', PASSWORD, '--role', 'viewer');
    await User.updateOne({ email: e }, { $set: { disabled: true } });
    const before = await ApiToken.countDocuments({});
    const { out, error } = await run('tokens:create', '--email', e);
    expect(error).toBeInstanceOf(AppError);
    expect(out).toBe('');
    expect(await ApiToken.countDocuments({})).toBe(before);
  });
});

describe('help and errors', () => {
  it('--help lists both commands and exits 0', async () => {
    const { out, error } = await run('--help');
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(0);
    expect(out).toContain('users:create');
    expect(out).toContain('tokens:create');
    expect(out).toContain('create a user');
  });

  it('users:create --help lists its options', async () => {
    const { out, error } = await run('users:create', '--help');
    expect((error as CommanderError).exitCode).toBe(0);
    for (const o of ['--email', '--password', '--role', 'at least 12 characters'])
      expect(out).toContain(o);
  });

  it('an unknown command is a usage error', async () => {
    const { error, err } = await run('users:delete');
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(1);
    expect(err).toMatch(/unknown command/i);
  });

  it('describeError handles other errors', () => {
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('text')).toBe('text');
  });
});
