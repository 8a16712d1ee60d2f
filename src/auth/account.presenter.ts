import type { TokenRow } from './token.service';

// The account page's view model: the template prints these and formats nothing itself.

/** A moment as the page shows it: ISO 8601 for `<time datetime>`, and to the minute (UTC) for people. */
export interface Stamp {
  iso: string;
  text: string;
}

const stamp = (d: Date): Stamp => {
  const iso = d.toISOString();
  return { iso, text: iso.slice(0, 16).replace('T', ' ') };
};

export interface TokenView {
  id: string;
  name: string;
  created: Stamp;
  /** null: never used */
  lastUsed: Stamp | null;
  revoked: boolean;
}

export function tokenRows(tokens: TokenRow[]): TokenView[] {
  return tokens.map((tok) => ({
    id: tok.id,
    name: tok.name,
    created: stamp(tok.createdAt),
    lastUsed: tok.lastUsedAt ? stamp(tok.lastUsedAt) : null,
    revoked: Boolean(tok.revokedAt),
  }));
}
