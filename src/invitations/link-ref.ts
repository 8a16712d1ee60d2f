import crypto from 'node:crypto';
import { DEV_LINK_REF_SECRET } from '../config';

// The link reference stored on a response (and, for a personal link, in its response id): a keyed
// HMAC of the link token. An unkeyed hash could be recomputed by anyone holding the invitations
// CSV (it lists every token), which would tie each response to an invitee's name and address.

let key = DEV_LINK_REF_SECRET;

/** Set once at start-up (createApp, the CLI) from config.linkRefSecret. */
export function useLinkRefSecret(secret: string): void {
  key = secret;
}

/** The reference of `token` under `secret` (32 hex characters, like the unkeyed one before). */
export const linkRefWith = (secret: string, token: string): string =>
  crypto.createHmac('sha256', secret).update(`link-ref:${token}`).digest('hex').slice(0, 32);

/** The reference under the configured secret. */
export const keyedLinkRef = (token: string): string => linkRefWith(key, token);

/** What versions before the keyed reference stored; only `responses:rekey-links` computes it. */
export const legacyLinkRef = (token: string): string =>
  crypto.createHash('sha256').update(token).digest('hex').slice(0, 32);
