// Passwords are kept only as argon2id hashes, with OWASP's recommended parameters (Password Storage
// Cheat Sheet: 19 MiB of memory, 2 iterations, 1 lane); the parameters travel inside each hash, so
// raising them later still verifies the old ones.
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

const OWASP = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OWASP);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A damaged hash in the store verifies nothing, rather than failing the request.
    return false;
  }
}

/**
 * A hash of a random password, verified for names that have no password: an unknown name then
 * costs as long as a known one, so timing does not tell which names exist.
 */
export function dummyHash(): Promise<string> {
  return hashPassword(randomBytes(16).toString('base64url'));
}
