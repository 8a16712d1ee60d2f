import { z } from 'zod';
import { field, lastValue } from '../shared/form';

// The account forms as commands. They only reshape the posted text: user.service validates e-mail,
// password and role (the CLI and the tests call it too), after checking who may ask.

/** A new password is typed twice; the mismatch is the form's own check, since services never see `confirm`. */
const typedTwice = (f: { password: string; confirm: string }) => f.password === f.confirm;
const mismatch = { path: ['confirm'], message: 'setup.mismatch' };

export const loginForm = z.object({ email: field.text, next: field.text });

/** The first administrator (createFirstAdmin fixes the role). */
export const setupForm = z
  .object({ email: field.text, password: field.text, confirm: field.text })
  .refine(typedTwice, mismatch)
  .transform(({ email, password }) => ({ email, password }));

export const passwordChangeForm = z.object({ current: field.text, password: field.text, confirm: field.text }).refine(typedTwice, mismatch);

export const tokenForm = z.object({ name: field.text });

// ---- administration ----

export const newUserForm = z.object({ email: field.text, password: field.text, role: field.text });

/**
 * One user's row posts either its role (the role form) or `disabled=true|false` (the enable/disable
 * button); what is not posted is not changed.
 */
export const userChangeForm = z.object({
  role: field.optional,
  disabled: z.preprocess((v) => (v === undefined ? undefined : lastValue(v) === 'true'), z.boolean().optional()),
});
