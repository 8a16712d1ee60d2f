import { z } from 'zod';
import { field } from '../shared/form';

// The invitations page's forms. They only turn posted text into createLinks' input; createLinks
// validates it, after the role check (a viewer gets 403, not 422, whatever they post).

/** One form for both kinds: `kind` says whether N personal links or one open link are made. */
export const linksForm = z
  .object({ kind: field.text, group: field.text, count: field.number, label: field.optional })
  .transform(({ kind, group, count, label }) =>
    kind === 'open'
      ? { group, kind: 'open' as const, ...(label ? { label } : {}) }
      : { group, kind: 'personal' as const, count },
  );

/** The text field that arrives with an uploaded invitee list (multipart, read after the file). */
export const uploadFields = z.object({ group: field.text });

/** Revoking a link returns to the group the list showed. */
export const revokeForm = z.object({ group: field.text });
