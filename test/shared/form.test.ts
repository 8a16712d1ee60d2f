import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express, { Express, NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { AppError, ValidationError } from '../../src/shared/errors';
import {
  allValues,
  field,
  fieldErrors,
  formRoute,
  formValues,
  lastValue,
  type FormRoute,
} from '../../src/shared/form';
import { translator } from '../../src/shared/i18n';

// A page with the real error summary partial, the kept input and the status, in a throw-away views folder.
const SUMMARY = path.resolve(__dirname, '../../views/partials/error-summary');
let views: string;
beforeAll(() => {
  views = fs.mkdtempSync(path.join(os.tmpdir(), 'form-test-'));
  fs.writeFileSync(
    path.join(views, 'page.ejs'),
    `<%- include(summary) %><input name="email" value="<%= values.email ?? '' %>"><% for (const l of values.langs ?? []) { %><input name="langs" value="<%= l %>" checked><% } %>`,
  );
});
afterAll(() => fs.rmSync(views, { recursive: true, force: true }));

const schema = z
  .object({
    email: field.text,
    age: field.number,
    langs: field.list,
    news: field.checkbox('yes'),
    password: field.text,
    confirm: field.text,
  })
  .refine((f) => f.password === f.confirm, { path: ['confirm'], message: 'setup.mismatch' });
type Input = z.output<typeof schema>;

/** A tiny app with one form route and an error handler that says what reached it. */
type Options = Omit<Partial<FormRoute<Input, unknown>>, 'respond'> & {
  call: FormRoute<Input, unknown>['call'];
  respond?: (r: unknown, req: Request, res: Response) => unknown;
};

function tiny(route: Options): Express {
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', views);
  app.use(express.urlencoded({ extended: false }));
  app.use((_req, res, next) => {
    res.locals.t = translator('en');
    next();
  });
  app.post(
    '/form',
    formRoute({
      form: schema,
      ...(route.respond ? {} : { redirect: (r: unknown) => `/done?r=${String(r)}` }),
      invalid: (f, _req, res) =>
        res.render('page', { summary: SUMMARY, values: f.values, errors: f.errors }),
      lists: ['langs'],
      ...route,
    } as FormRoute<Input, unknown>),
  );
  // Express knows error handlers by their four parameters.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res
      .status(err instanceof AppError ? err.status : 500)
      .json({ reached: 'error handler', code: err instanceof AppError ? err.code : 'other' });
  });
  return app;
}

const fails = (err: unknown) => () =>
  Promise.reject(err instanceof Error ? err : new Error(String(err)));

const post = (app: Express, body: string) => request(app).post('/form').type('form').send(body);

describe('formRoute', () => {
  it('parses the form, calls the service once and redirects with 303', async () => {
    const calls: Input[] = [];
    const app = tiny({ call: (input) => (calls.push(input), Promise.resolve('ok')) });
    const res = await post(
      app,
      'email=a%40example.com&age=%2042%20&langs=en&langs=zh-Hant&news=yes&password=pw&confirm=pw&_csrf=x',
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/done?r=ok');
    expect(calls).toEqual([
      {
        email: 'a@example.com',
        age: 42,
        langs: ['en', 'zh-Hant'],
        news: true,
        password: 'pw',
        confirm: 'pw',
      },
    ]);
  });

  it('reads an absent field as empty and a repeated one by its last value', async () => {
    const calls: Input[] = [];
    const app = tiny({ call: (input) => (calls.push(input), Promise.resolve('ok')) });
    expect((await post(app, 'email=first&email=last')).status).toBe(303);
    expect(calls).toEqual([
      { email: 'last', age: undefined, langs: [], news: false, password: '', confirm: '' },
    ]);
  });

  it('re-renders with 422, the input kept and the error summary, when the service refuses the input', async () => {
    const app = tiny({
      call: fails(new ValidationError([{ path: 'email', message: 'validation.email' }])),
    });
    const res = await post(
      app,
      'email=not-an-email&langs=en&langs=zh-Hans&password=secret&confirm=secret&_csrf=token123',
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('<a href="#email">Enter a valid e-mail address.</a>');
    expect(res.text).toContain('<input name="email" value="not-an-email">');
    expect(res.text).toContain(
      '<input name="langs" value="en" checked><input name="langs" value="zh-Hans" checked>',
    );
    expect(res.text).not.toContain('token123');
  });

  it('re-renders with 422 when the form schema itself refuses it (a zod refine), without calling the service', async () => {
    let called = false;
    const app = tiny({ call: () => Promise.resolve((called = true)) });
    const res = await post(app, 'email=a%40example.com&password=one&confirm=two');
    expect(res.status).toBe(422);
    expect(res.text).toContain('<a href="#confirm">The passwords do not match.</a>');
    expect(res.text).toContain('value="a@example.com"');
    expect(called).toBe(false);
  });

  it.each([
    ['a 403', new AppError(403, 'forbidden', 'errors.forbidden'), 403, 'forbidden'],
    [
      'a 409 that is not a listed conflict',
      new AppError(409, 'locked', 'assess.locked'),
      409,
      'locked',
    ],
    ['a programming error', new TypeError('boom'), 500, 'other'],
  ])(
    'passes %s on to the error handler and renders nothing',
    async (_label, error, status, code) => {
      let rendered = false;
      const app = tiny({
        call: fails(error),
        invalid: () => (rendered = true),
      });
      const res = await post(app, 'email=x');
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ reached: 'error handler', code });
      expect(rendered).toBe(false);
    },
  );

  it('passes validation errors on too when the route has no page to show again', async () => {
    const app = tiny({
      call: fails(new ValidationError([{ path: 'role', message: 'Invalid option' }])),
      invalid: undefined,
    });
    const res = await post(app, 'email=x');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ reached: 'error handler', code: 'validation_failed' });
  });

  it('shows a listed conflict on its field, with the status the route gives it', async () => {
    const app = tiny({
      call: fails(
        new AppError(409, 'duplicate_email', 'users.duplicate', [
          { path: 'email', message: 'users.duplicate' },
        ]),
      ),
      conflicts: { duplicate_email: 422 },
    });
    const res = await post(app, 'email=taken%40example.com');
    expect(res.status).toBe(422);
    expect(res.text).toContain('<a href="#email">A user with this e-mail already exists.</a>');
    expect(res.text).toContain('value="taken@example.com"');
  });

  it('can answer itself instead of redirecting (a result shown once)', async () => {
    const app = tiny({
      call: () => Promise.resolve('secret-token'),
      respond: (token, _req, res) => res.status(201).send(`token ${String(token)}`),
    });
    const res = await post(app, 'email=x');
    expect(res.status).toBe(201);
    expect(res.text).toBe('token secret-token');
  });

  it('hands a reader’s input to the re-render when the service refused it', async () => {
    const seen: unknown[] = [];
    const app = express();
    app.post(
      '/upload',
      formRoute({
        form: () => Promise.resolve({ rows: ['a', 'b'], sourceRows: [2, 5] }),
        call: fails(new ValidationError([{ path: 'row 3: code', message: 'validation.required' }])),
        redirect: () => '/',
        invalid: (f, _req, res) => (seen.push(f.input, f.error.fields), res.send('again')),
      }),
    );
    const res = await request(app).post('/upload');
    expect(res.status).toBe(422);
    expect(seen).toEqual([
      { rows: ['a', 'b'], sourceRows: [2, 5] },
      [{ path: 'row 3: code', message: 'validation.required' }],
    ]);
  });
});

describe('fieldErrors', () => {
  const err = new ValidationError([
    { path: 'year', message: 'Invalid input: expected number' },
    { path: 'name', message: 'validation.required' },
    { path: 'name', message: 'validation.tooLong' },
    { path: 'other', message: 'Too big' },
  ]);

  it('keeps the first message of each field, as the service wrote them', () => {
    expect(fieldErrors(err)).toMatchObject({
      status: 422,
      errors: {
        year: 'Invalid input: expected number',
        name: 'validation.required',
        other: 'Too big',
      },
    });
  });

  it('with hints, replaces zod’s own messages by the field’s hint or validation.invalid', () => {
    expect(fieldErrors(err, { hints: { year: 'assess.create.yearHint' } })?.errors).toEqual({
      year: 'assess.create.yearHint',
      name: 'validation.required',
      other: 'validation.invalid',
    });
  });

  it('is undefined for errors that are not the form’s business', () => {
    expect(
      fieldErrors(new AppError(404, 'not_found', 'errors.notFound'), {
        conflicts: { duplicate_code: 409 },
      }),
    ).toBeUndefined();
    expect(fieldErrors(new Error('x'))).toBeUndefined();
    expect(fieldErrors(new AppError(409, 'constructor', 'x'), { conflicts: {} })).toBeUndefined();
  });
});

describe('posted fields', () => {
  it.each([
    [undefined, ''],
    ['x', 'x'],
    [['a', 'b', 'c'], 'c'],
    [[], ''],
    [42, ''],
    [{ a: 'b' }, ''],
  ])('lastValue(%p) is %p', (v, expected) => {
    expect(lastValue(v)).toBe(expected);
  });

  it('allValues keeps every value of a list and drops an empty single one', () => {
    expect(allValues(['en', 'zh-Hant'])).toEqual(['en', 'zh-Hant']);
    expect(allValues('en')).toEqual(['en']);
    expect(allValues('')).toEqual([]);
    expect(allValues(undefined)).toEqual([]);
  });

  it('formValues keeps the input for the re-render, lists as lists, never the CSRF token', () => {
    expect(
      formValues({ name: ['a', 'b'], instruments: 'impact', _csrf: 't' }, ['instruments']),
    ).toEqual({ name: 'b', instruments: ['impact'] });
    expect(formValues(undefined)).toEqual({});
  });

  it('field.all reads every field as text', () => {
    expect(field.all.parse({ 'weights.A': ['1', '2'], rule: 'both' })).toEqual({
      'weights.A': '2',
      rule: 'both',
    });
    expect(field.all.parse(undefined)).toEqual({});
  });
});
