import { z } from 'zod';
import { field, lastValue } from '../shared/form';

// The account forms as commands. They only reshape the posted text: user.service validates e-mail,
// password and role (the CLI and the tests call it too), after checking who may ask.

/** A new password is typed twice; the mismatch is the form's own check, since services never see `confirm`. */
const typedTwice = (f: { password: string; confirm: string }) => f.password === f.confirm;
const mismatch = { path: ['confirm'], message: 'setup.mismatch' };

export const loginForm = z.object({ email: field.text, next: field.text });

/**
 * An address is at most 254 characters (RFC 5321). The service's e-mail check has no length limit,
 * so without this a 1 MB "address" would be stored with the account: the one check these two forms
 * make themselves. (The admin page checks the role before its form is read; a set-up form with such
 * an address after the first run gets this 422 instead of the service's 404, which tells nothing.)
 */
export const MAX_EMAIL_LENGTH = 254;
const newEmail = field.text.refine((e) => e.trim().length <= MAX_EMAIL_LENGTH, 'validation.email');

/** The first administrator (createFirstAdmin fixes the role). */
export const setupForm = z
  .object({ email: newEmail, password: field.text, confirm: field.text })
  .refine(typedTwice, mismatch)
  .transform(({ email, password }) => ({ email, password }));

export const passwordChangeForm = z
  .object({ current: field.text, password: field.text, confirm: field.text })
  .refine(typedTwice, mismatch);

export const tokenForm = z.object({ name: field.text });

// ---- administration ----

export const newUserForm = z.object({ email: newEmail, password: field.text, role: field.text });

/**
 * One user's row posts either its role (the role form) or `disabled=true|false` (the enable/disable
 * button); what is not posted is not changed.
 */
export const userChangeForm = z.object({
  role: field.optional,
  disabled: z.preprocess(
    (v) => (v === undefined ? undefined : lastValue(v) === 'true'),
    z.boolean().optional(),
  ),
});
