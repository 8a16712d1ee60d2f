import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

// The only reader of process.env in the application.
// A blank value (e.g. `PORT=` in an env file) means "not set", never 0.
const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const int = (min: number, max: number, dflt: number) =>
  z.preprocess(blankIsUnset, z.coerce.number().int().min(min).max(max).default(dflt));
const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535, 3000),
  PUBLIC_URL: z.url().optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, - and _ only')
    .default('dma'),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_DB_CACHE: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LINK_REF_SECRET: z.preprocess(
    blankIsUnset,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  LINK_REF_SECRET_PREVIOUS: z.preprocess(
    blankIsUnset,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: z.string().default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_MAX_PER_ACCOUNT: int(1, Number.MAX_SAFE_INTEGER, 5),
  LOGIN_MAX_PER_IP: int(1, Number.MAX_SAFE_INTEGER, 30),
  LOGIN_WINDOW_MINUTES: int(1, Number.MAX_SAFE_INTEGER, 15),
  SUBMIT_MAX_PER_MINUTE: int(1, Number.MAX_SAFE_INTEGER, 30),
  HEALTH_TIMEOUT_MS: int(100, 2000, 1500),
  SHUTDOWN_TIMEOUT_MS: int(100, Number.MAX_SAFE_INTEGER, 10000),
  DEV_SECRETS_OK: boolish.optional(),
  SMTP_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'must look like smtp://user:pass@host:587 or smtps://…')
      .optional(),
  ),
  MAIL_FROM: z.preprocess(
    blankIsUnset,
    z.string().min(3).max(320).default('"DMA platform" <no-reply@localhost>'),
  ),
  MAIL_RATE_PER_SECOND: int(1, 1000, 5),
  MAIL_MAX_ATTEMPTS: int(1, 50, 5),
  MAIL_RETRY_BASE_MS: int(10, 3_600_000, 60_000),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  mongodbUri: string | undefined;
  dbName: string;
  dataDir: string;
  embeddedDbCache: string | undefined;
  sessionSecret: string;
  sessionSecretGenerated: boolean;
  /**
   * Keys the link reference stored on each response (HMAC of the link token), so that the
   * invitations CSV cannot be matched to responses without it. Stable across restarts.
   */
  linkRefSecret: string;
  /** The key before a rotation, read by `responses:rekey-links` only. */
  linkRefSecretPrevious: string | undefined;
  cookieSecure: boolean | 'auto';
  trustProxy: boolean | number | string;
  logLevel: string;
  login: Readonly<{ maxPerAccount: number; maxPerIp: number; windowMs: number }>;
  submitMaxPerMinute: number;
  healthTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** Outgoing e-mail (src/mail/): without smtpUrl messages stay queued in the outbox. */
  mail: Readonly<{
    smtpUrl: string | undefined;
    from: string;
    ratePerSecond: number;
    maxAttempts: number;
    retryBaseMs: number;
  }>;
}>;

/**
 * Outside production a missing LINK_REF_SECRET is this fixed, published value (not a random one:
 * a personal link must map to the same response id after a restart). It protects nothing.
 */
export const DEV_LINK_REF_SECRET = 'dev-only-link-ref-secret-not-for-production-use';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (!e.SESSION_SECRET && e.NODE_ENV === 'production') {
    throw new ConfigError([
      'SESSION_SECRET: required in production (at least 32 random characters)',
    ]);
  }
  if (!e.LINK_REF_SECRET && e.NODE_ENV === 'production') {
    throw new ConfigError([
      'LINK_REF_SECRET: required in production (at least 32 random characters, never changed ' +
        'without running responses:rekey-links)',
    ]);
  }
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    mongodbUri: e.MONGODB_URI,
    dbName: e.DB_NAME,
    dataDir: path.resolve(e.DATA_DIR),
    embeddedDbCache: e.EMBEDDED_DB_CACHE ?? defaultCache(env),
    sessionSecret: e.SESSION_SECRET ?? crypto.randomBytes(32).toString('hex'),
    sessionSecretGenerated: !e.SESSION_SECRET,
    linkRefSecret: e.LINK_REF_SECRET ?? DEV_LINK_REF_SECRET,
    linkRefSecretPrevious: e.LINK_REF_SECRET_PREVIOUS,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    login: Object.freeze({
      maxPerAccount: e.LOGIN_MAX_PER_ACCOUNT,
      maxPerIp: e.LOGIN_MAX_PER_IP,
      windowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
    }),
    submitMaxPerMinute: e.SUBMIT_MAX_PER_MINUTE,
    healthTimeoutMs: e.HEALTH_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    mail: Object.freeze({
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      ratePerSecond: e.MAIL_RATE_PER_SECOND,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
      retryBaseMs: e.MAIL_RETRY_BASE_MS,
    }),
  });
}

function defaultCache(env: NodeJS.ProcessEnv): string {
  return path.join(
    env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    'dma-platform',
    'embedded-db',
  );
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
