import { z } from 'zod';

// The review page's forms as posted (strings); the services validate the meaning again.
const text = z.string().optional().default('');

export const overrideForm = z.object({
  material: z.enum(['true', 'false'], 'review.materialRequired').transform((v) => v === 'true'),
  rationale: text,
});
export const rationaleForm = z.object({ rationale: text });
export const signOffForm = z.object({
  meetingDate: text,
  body: text,
  minutesRef: text,
  comment: text,
});
export const reopenForm = z.object({ reason: text });
export const copyForm = z.object({
  name: text,
  reportingYear: z.coerce.number('validation.required').int('validation.required'),
});
export const topicMapForm = z.object({ map: text });

/** "NEW = OLD1, OLD2" per line → the topic mapping (blank lines ignored). */
export function parseMapText(s: string) {
  return s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [code = '', rest = ''] = l.split('=');
      return {
        code: code.trim(),
        previous: rest
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      };
    });
}
