import { z } from 'zod';
import { ValidationError } from './errors';

/** Parses input with a zod schema, throwing a 422 ValidationError that names every failing field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(
    r.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(body)',
      message: messageOf(i),
    })),
  );
}

const NAMED_KEYS = 10;

/**
 * zod's own message for unknown keys lists every one of them: a body with 50,000 made-up keys
 * would be echoed back in full. The first few are enough to find the mistake.
 */
function messageOf(issue: z.core.$ZodIssue): string {
  if (
    issue.code !== 'unrecognized_keys' ||
    issue.keys.length <= NAMED_KEYS ||
    !issue.message.startsWith('Unrecognized key')
  )
    return issue.message;
  const named = issue.keys
    .slice(0, NAMED_KEYS)
    .map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k));
  return `Unrecognized keys: ${named.join(', ')} and ${issue.keys.length - NAMED_KEYS} more`;
}

/** Field errors as a map for re-rendering forms. */
export function fieldMap(err: ValidationError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of err.fields) if (!out[f.path]) out[f.path] = f.message;
  return out;
}
