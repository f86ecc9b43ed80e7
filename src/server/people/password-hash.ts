// Passwords are kept only as argon2id hashes, with OWASP's recommended parameters (Password Storage
// Cheat Sheet: 19 MiB of memory, 2 iterations, 1 lane); the parameters travel inside each hash, so
// raising them later still verifies the old ones.
// @node-rs/argon2 (the reference implementation through N-API, one prebuilt package per platform
// from the npm registry): the `argon2` package's prebuilt Linux binary crashes on Debian 12's glibc.
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// `algorithm: 2` is Argon2id (the package's Algorithm enum is a const enum TypeScript cannot import here).
const OWASP = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OWASP);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
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
