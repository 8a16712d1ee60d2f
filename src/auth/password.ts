import argon2 from 'argon2';
import { z } from 'zod';

export const MIN_PASSWORD = 12;
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD, 'password.tooShort') // i18n keys: pages translate them, the API answers in English
  .max(200, 'password.tooLong');

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the account does not exist keeps response times alike,
// so timing does not reveal which e-mails have accounts.
let dummy: Promise<string> | undefined;
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword('not-a-real-password-0000');
  await verifyPassword(await dummy, password);
  return false;
}
