import type { Express } from 'express';
import request, { Response } from 'supertest';
import { csrfFrom, PASSWORD } from '../helpers/app';

/** The raw Set-Cookie headers of a response. */
export function setCookies(res: Response): string[] {
  const h = res.headers['set-cookie'] as unknown;
  if (!h) return [];
  if (Array.isArray(h)) return h as string[];
  return [typeof h === 'string' ? h : JSON.stringify(h)];
}

/** The full Set-Cookie header for `name`, or undefined. */
export function setCookie(res: Response, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}

/** The value `res` set for cookie `name`, or undefined. */
export function cookieValue(res: Response, name: string): string | undefined {
  const c = setCookie(res, name);
  return c ? c.slice(name.length + 1).split(';')[0] : undefined;
}

/**
 * A minimal cookie jar that is not bound to one app, so that the same browser can talk to
 * several app instances (supertest agents are bound to one app).
 */
export class Jar {
  readonly cookies = new Map<string, string>();

  update(res: Response): this {
    for (const c of setCookies(res)) {
      const [pair, ...attrs] = c.split(';') as [string, ...string[]];
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) <= Date.now()) ||
        attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): this {
    this.cookies.set(name, value);
    return this;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  clone(): Jar {
    const j = new Jar();
    for (const [k, v] of this.cookies) j.cookies.set(k, v);
    return j;
  }

  async visit(app: Express, path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await request(app)
      .get(path)
      .set({ ...headers, Cookie: this.header() });
    this.update(res);
    return res;
  }

  async submit(
    app: Express,
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const res = await request(app)
      .post(path)
      .set({ ...headers, Cookie: this.header() })
      .type('form')
      .send(form);
    this.update(res);
    return res;
  }
}

/** Logs `email` in with a fresh (or the given) jar; returns the jar and the login response. */
export async function loginWithJar(
  app: Express,
  email: string,
  password = PASSWORD,
  jar = new Jar(),
) {
  const page = await jar.visit(app, '/login');
  const token =
    page.status === 200 ? csrfFrom(page.text) : csrfFrom((await jar.visit(app, '/')).text);
  const res = await jar.submit(app, '/login', { email, password, _csrf: token });
  return { jar, res };
}
