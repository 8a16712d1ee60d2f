import path from 'node:path';
import express, { Express } from 'express';
import request from 'supertest';
import { createToken } from '../../src/auth/token.service';
import { AppError, ValidationError } from '../../src/shared/errors';
import { errorHandler, notFoundHandler } from '../../src/shared/error-handler';
import { createLogger } from '../../src/shared/logger';
import { createTestUser, loggedInAgent, makeApp } from '../helpers/app';
import { useTestDb } from '../helpers/db';

useTestDb();

const VIEWS = path.resolve(__dirname, '../../views');
const SECRET = 'kaboom-secret-detail-1234';

let app: Express;
beforeAll(() => {
  app = makeApp();
});

describe('404', () => {
  it('is an HTML page for browsers', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent.get('/no/such/page').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('The page you asked for does not exist.');
  });

  it('is JSON for JSON clients', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent.get('/no/such/page').set('Accept', 'application/json');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: 'The page you asked for does not exist.' },
    });
  });

  it('is JSON for an unknown /api/v1 route with a valid token', async () => {
    const user = await createTestUser('viewer');
    const { token } = await createToken(user, 'x');
    const res = await request(app)
      .get('/api/v1/no-such-thing')
      .set('Authorization', `Bearer ${token}`)
      .set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('not_found');
    expect(typeof res.body.error.message).toBe('string');
  });

  it('an unknown /api/v1 route without a token is 401, not 404 (nothing is revealed)', async () => {
    const res = await request(app).get('/api/v1/no-such-thing');
    expect(res.status).toBe(401);
  });

  it('is translated on HTML pages', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent.get('/no/such/page?lang=zh-Hant').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<html lang="zh-Hant">');
    expect(res.text).not.toContain('Page not found');
  });
});

describe('request errors', () => {
  it('a malformed JSON body on /api/v1 is 422 malformed_body', async () => {
    const res = await request(app)
      .post('/api/v1/me')
      .set('Content-Type', 'application/json')
      .send('{"a": ');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: { code: 'malformed_body', message: 'The request body is not valid JSON.' },
    });
  });

  it('a body over the limit is 413', async () => {
    const res = await request(app)
      .post('/api/v1/me')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
  });
});

describe('security headers', () => {
  it('pages carry helmet headers, a strict CSP and a request id', async () => {
    await createTestUser('admin');
    const res = await request(app).get('/login');
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const again = await request(app).get('/login');
    expect(again.headers['x-request-id']).not.toBe(res.headers['x-request-id']);
  });

  it('API errors carry them too', async () => {
    const res = await request(app).get('/api/v1/me');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('the error page shows the request id as a reference', async () => {
    const { agent } = await loggedInAgent(app, 'viewer');
    const res = await agent.get('/nothing-here').set('Accept', 'text/html');
    expect(res.text).toContain(`Reference: ${res.headers['x-request-id']}`);
  });
});

describe('errorHandler on its own', () => {
  const logged: unknown[] = [];
  function tiny(): Express {
    const t = express();
    t.set('views', VIEWS);
    t.set('view engine', 'ejs');
    t.get('/boom', () => {
      throw new Error(SECRET);
    });
    t.get('/async-boom', async () => {
      await Promise.resolve();
      throw new TypeError(SECRET);
    });
    t.get('/gone', () => {
      throw new AppError(410, 'gone', 'It is gone.');
    });
    t.get('/invalid', () => {
      throw new ValidationError([{ path: 'email', message: 'validation.email' }]);
    });
    t.use(notFoundHandler);
    const logger = createLogger('silent');
    const origError = logger.error.bind(logger);
    logger.error = (...args: unknown[]) => {
      logged.push(args[0]);
      Reflect.apply(origError, logger, args);
    };
    t.use(errorHandler(logger));
    return t;
  }

  it.each(['/boom', '/async-boom'])(
    '%s: an HTML 500 page without the stack or the message',
    async (p) => {
      const res = await request(tiny()).get(p).set('Accept', 'text/html');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Something went wrong');
      expect(res.text).toContain('An unexpected error happened.');
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(res.text).not.toContain('Error:');
    },
  );

  it('a JSON 500 is internal_error without the stack or the message', async () => {
    const res = await request(tiny()).get('/boom').set('Accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(res.text).not.toMatch(/\.(ts|js):\d+/);
  });

  it('logs the 500 with the original error', async () => {
    logged.length = 0;
    await request(tiny()).get('/boom');
    expect(logged).toHaveLength(1);
    expect((logged[0] as { err: Error }).err.message).toBe(SECRET);
  });

  it('passes AppErrors through with their status, code and translated details', async () => {
    const gone = await request(tiny()).get('/gone').set('Accept', 'application/json');
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({ error: { code: 'gone', message: 'It is gone.' } });

    const invalid = await request(tiny()).get('/invalid').set('Accept', 'application/json');
    expect(invalid.status).toBe(422);
    expect(invalid.body).toEqual({
      error: {
        code: 'validation_failed',
        message: 'Some fields are not valid.',
        details: [{ path: 'email', message: 'Enter a valid e-mail address.' }],
      },
    });
    const html = await request(tiny()).get('/invalid').set('Accept', 'text/html');
    expect(html.status).toBe(422);
    expect(html.text).toContain('email: Enter a valid e-mail address.');
  });

  it('renders a 404 page outside the app too', async () => {
    const res = await request(tiny()).get('/nope').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
  });
});
