import { z } from 'zod';
import { ValidationError } from './errors';

/** Parses input with a zod schema, throwing a 422 ValidationError that names every failing field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })),
  );
}

/** Field errors as a map for re-rendering forms. */
export function fieldMap(err: ValidationError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of err.fields) if (!out[f.path]) out[f.path] = f.message;
  return out;
}
