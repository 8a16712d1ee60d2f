import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig, Config } from '../../src/config';
import { createLogger } from '../../src/shared/logger';
import { createUserUnchecked } from '../../src/auth/user.service';
import type { Role, SessionUser } from '../../src/auth/roles';

export const PASSWORD = 'correct horse battery';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'x'.repeat(40),
    LOG_LEVEL: 'silent',
    MONGODB_URI: process.env.TEST_MONGODB_URI,
    ...env,
  });
}

export function makeApp(env: Record<string, string> = {}): Express {
  const config = testConfig(env);
  return createApp({ config, logger: createLogger('silent') });
}

/** The CSRF token from a rendered form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

let counter = 0;
export async function createTestUser(
  role: Role,
  email = `${role}${++counter}-${Date.now()}@example.com`,
): Promise<SessionUser> {
  return createUserUnchecked({ email, password: PASSWORD, role });
}

/** A supertest agent logged in as a new user of `role`. */
export async function loggedInAgent(app: Express, role: Role = 'admin') {
  const user = await createTestUser(role);
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return { agent, user };
}

/** GETs a page and returns its CSRF token (the agent keeps the cookies). */
export async function tokenFor(
  agent: ReturnType<typeof request.agent>,
  path: string,
): Promise<string> {
  return csrfFrom((await agent.get(path)).text);
}
