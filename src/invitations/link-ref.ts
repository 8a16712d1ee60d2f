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

/**
 * A keyed digest of `value` for another purpose (the purpose is part of the message, so a digest
 * made for one use never equals one made for another). Drafts are keyed with it: their id derives
 * from the link token, and an unkeyed hash of it would tie a draft to an invitee too.
 */
export const keyedDigest = (purpose: string, value: string): string =>
  crypto.createHmac('sha256', key).update(`${purpose}:${value}`).digest('hex');

/** A short public name of the configured secret (not the secret): "done for this secret" flags. */
export const linkRefKeyId = (): string => keyedDigest('key-id', '').slice(0, 16);
