import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, ValidationError, type FieldError } from './errors';
import { parse } from './validate';

// The HTML form pattern in one place: read the posted fields, call one service function, 303 on
// success; on a validation error re-render the page (422) with the input kept and the error summary
// filled. The JSON API does not use this: it answers errors through the central handler.

/** What goes back into a form's inputs: one text per field, all values for a checkbox list. */
export type FormValues = Record<string, string | string[]>;

/**
 * A posted field's value, '' when absent or not text. A repeated name (`a=1&a=2`, an array after
 * urlencoded parsing) is resolved here and nowhere else: the last value wins, as in PHP and Rack, so
 * a later input (a checkbox after its hidden default) overrides an earlier one.
 */
export function lastValue(v: unknown): string {
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : '';
}

/** Every value of a field that may repeat on purpose (checkbox lists); an empty field is no value. */
export function allValues(v: unknown): string[] {
  if (Array.isArray(v)) return (v as unknown[]).map(String);
  return typeof v === 'string' && v !== '' ? [v] : [];
}

/**
 * Field schemas for form commands. They never fail: a form schema only turns flat text into the
 * service's input, and the service validates it after checking who may ask (a viewer gets 403, not
 * 422, whatever they post).
 */
export const field = {
  text: z.preprocess(lastValue, z.string()),
  /** An empty or absent field is no value (optional inputs, choices that may be missing). */
  optional: z.preprocess((v) => lastValue(v) || undefined, z.string().optional()),
  /** A number input: empty is no value; anything else is converted and left to the service to judge. */
  number: z
    .preprocess(lastValue, z.string())
    .transform((s) => (s.trim() === '' ? undefined : Number(s.trim()))),
  /** A checkbox list: all checked values. */
  list: z.preprocess(allValues, z.array(z.string())),
  /** A checkbox: on when its value was posted. */
  checkbox: (on: string) => z.preprocess((v) => lastValue(v) === on, z.boolean()),
  /** Every field as text, for forms whose field names come from data (`weights.<group>`). */
  all: z.preprocess((v) => v ?? {}, z.record(z.string(), z.preprocess(lastValue, z.string()))),
};

/** Parses the posted form (no body is an empty form) with `schema`; a ValidationError names the bad fields. */
export function readForm<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const body: unknown = req.body;
  return parse(schema, body ?? {});
}

/** The posted form as it goes back into the inputs; `lists` are the checkbox lists. Never the CSRF token. */
export function formValues(body: unknown, lists: readonly string[] = []): FormValues {
  const out: FormValues = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k !== '_csrf') out[k] = lists.includes(k) ? allValues(v) : lastValue(v);
  }
  return out;
}

const ownValue = <V>(
  record: Readonly<Record<string, V>> | undefined,
  key: string,
): V | undefined => (record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined);

/** Our messages are i18n keys; zod's own ("Invalid input: …") are not. */
export const isKey = (m: string) => /^[a-zA-Z]+(\.[a-zA-Z0-9_-]+)+$/.test(m);

export interface FieldErrorOptions {
  /**
   * When given, a message that is not an i18n key (zod's own English) is replaced by the field's
   * hint, else by `validation.invalid`. Without it messages are shown as the service wrote them.
   */
  hints?: Readonly<Record<string, string>>;
  /** AppError codes that concern one field (a duplicate code or e-mail), with the status of their re-render. */
  conflicts?: Readonly<Record<string, number>>;
}

/**
 * The field errors of a refused form, for a re-render: a ValidationError (422) or a listed conflict.
 * Anything else (403, 404, locked) is not the form's business and gives undefined.
 */
export function fieldErrors(
  err: unknown,
  opts: FieldErrorOptions = {},
): { status: number; errors: Record<string, string>; error: ValidationError } | undefined {
  if (err instanceof ValidationError) return summary(422, err, opts.hints);
  const conflict = err instanceof AppError ? ownValue(opts.conflicts, err.code) : undefined;
  if (!(err instanceof AppError) || conflict === undefined) return undefined;
  const fields = Array.isArray(err.details) ? (err.details as FieldError[]) : [];
  return summary(conflict, new ValidationError(fields, err.message), opts.hints);
}

function summary(status: number, error: ValidationError, hints: FieldErrorOptions['hints']) {
  const errors: Record<string, string> = {};
  for (const f of error.fields) {
    if (Object.hasOwn(errors, f.path)) continue; // the first message per field, as the service ordered them
    errors[f.path] =
      hints && !isKey(f.message) ? (ownValue(hints, f.path) ?? 'validation.invalid') : f.message;
  }
  return { status, errors, error };
}

/** A refused form, as the page that shows it again needs it. */
export interface FormFailure<T> {
  /** Already set on the response: 422, or a conflict's own status. */
  status: number;
  /** Field → message key, for the error summary and the messages beside the inputs. */
  errors: Record<string, string>;
  /** The posted input, to put back into the form. */
  values: FormValues;
  /** The parsed input when the service (not the form) refused it, e.g. the rows of an uploaded file. */
  input: T | undefined;
  /** The refusal with every field error in order (a conflict as an error on its field). */
  error: ValidationError;
}

type Awaitable<X> = X | Promise<X>;

interface FormRouteBase<T, R> extends FieldErrorOptions {
  /** The form: a zod schema for the body, or a reader for what the body parser cannot read (uploads). */
  form: z.ZodType<T> | ((req: Request, res: Response) => Promise<T>);
  /** The one service call. */
  call: (input: T, req: Request, res: Response) => Promise<R>;
  /** Re-renders the page on a validation error (the status is set); without it every error goes on to the error page. */
  invalid?: (failure: FormFailure<T>, req: Request, res: Response) => Awaitable<unknown>;
  /** Fields whose values are lists (checkbox groups), kept as such in `values`. */
  lists?: readonly string[];
}

interface Redirect<R> {
  /** Where a successful POST goes, with 303 See Other. */
  redirect: (result: R, req: Request, res: Response) => string;
}

interface Respond<R> {
  /** Instead of a redirect: the answer itself, for a result shown once (a new API token). */
  respond: (result: R, req: Request, res: Response) => Awaitable<unknown>;
}

/** One entry of a route table: form, service call, where to go, which page to show again. */
export type FormRoute<T, R> = FormRouteBase<T, R> & (Redirect<R> | Respond<R>);

/** The handler of one HTML form: read `form`, `call` the service, redirect (303) or re-render (`invalid`). */
export function formRoute<T, R>(route: FormRoute<T, R>): RequestHandler {
  return async (req, res) => {
    let input: T | undefined;
    let result: R;
    try {
      input =
        typeof route.form === 'function' ? await route.form(req, res) : readForm(route.form, req);
      result = await route.call(input, req, res);
    } catch (err) {
      const { invalid } = route;
      const failed = invalid && fieldErrors(err, route);
      if (!invalid || !failed) throw err;
      const body: unknown = req.body;
      res.status(failed.status);
      await invalid({ ...failed, values: formValues(body, route.lists), input }, req, res);
      return;
    }
    if ('redirect' in route) res.redirect(303, route.redirect(result, req, res));
    else await route.respond(result, req, res);
  };
}
