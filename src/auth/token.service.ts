import crypto from 'node:crypto';
import { z } from 'zod';
import { actorOf, recordAudit } from '../audit/audit.writer';
import { AppError } from '../shared/errors';
import { parse } from '../shared/validate';
import { SessionUser } from './roles';
import { ApiToken, TokenDoc } from './token.model';
import { findActiveUser } from './user.service';

const PREFIX = 'dma_';
const TOKEN_RE = /^dma_[A-Za-z0-9_-]{43}$/;
const LAST_USED_GRANULARITY_MS = 60_000; // avoid a write on every API call

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

const nameSchema = z.object({
  name: z.string().trim().min(1, 'account.tokenNameRequired').max(100),
});

/** A token for `user`; `by` is who asks (the user themselves unless said; null = the CLI). */
export async function createToken(
  user: SessionUser,
  nameInput: unknown,
  by?: SessionUser | null,
): Promise<{ token: string; id: string }> {
  const { name } = parse(nameSchema, { name: nameInput });
  const token = PREFIX + crypto.randomBytes(32).toString('base64url');
  const id = hashToken(token);
  await ApiToken.create({ _id: id, userId: user.id, name });
  try {
    await recordAudit({
      actor: actorOf(by === undefined ? user : by),
      action: 'token.create',
      target: user.email,
      after: { name },
    });
  } catch (err) {
    await ApiToken.deleteOne({ _id: id });
    throw err;
  }
  return { token, id };
}

export interface TokenRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function listTokens(user: SessionUser): Promise<TokenRow[]> {
  // Staff-sized collection; not a hot path.
  const docs = await ApiToken.find({ userId: user.id }).lean<TokenDoc[]>();
  return docs
    .map((d) => ({
      id: d._id,
      name: d.name,
      createdAt: d.createdAt,
      lastUsedAt: d.lastUsedAt,
      revokedAt: d.revokedAt,
    }))
    .sort((a, b) => +b.createdAt - +a.createdAt);
}

export async function revokeToken(user: SessionUser, id: string): Promise<void> {
  const doc = await ApiToken.findById(id).lean<TokenDoc>();
  if (!doc || (doc.userId !== user.id && user.role !== 'admin'))
    throw new AppError(404, 'not_found', 'account.noSuchToken');
  if (!doc.revokedAt) {
    await recordAudit({
      actor: actorOf(user),
      action: 'token.revoke',
      target: doc.name,
      before: { revoked: false },
      after: { revoked: true },
    });
    await ApiToken.updateOne({ _id: id }, { $set: { revokedAt: new Date() } });
  }
}

/** Resolves a bearer token to its user, or throws 401. Two primary-key reads. */
export async function authenticateToken(token: string): Promise<SessionUser> {
  if (!TOKEN_RE.test(token)) throw new AppError(401, 'invalid_token', 'errors.tokenMalformed');
  const doc = await ApiToken.findById(hashToken(token)).lean<TokenDoc>();
  if (!doc) throw new AppError(401, 'invalid_token', 'errors.tokenInvalid');
  if (doc.revokedAt) throw new AppError(401, 'token_revoked', 'errors.tokenRevoked');
  const user = await findActiveUser(doc.userId);
  if (!user) throw new AppError(401, 'invalid_token', 'errors.tokenInvalid');
  const now = Date.now();
  if (!doc.lastUsedAt || now - +doc.lastUsedAt > LAST_USED_GRANULARITY_MS) {
    await ApiToken.updateOne({ _id: doc._id }, { $set: { lastUsedAt: new Date(now) } });
  }
  return user;
}
