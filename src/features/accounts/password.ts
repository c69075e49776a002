// Password hashing: argon2id with OWASP's recommended parameters (19 MiB of memory, 2 passes,
// 1 lane: the "m=19456, t=2, p=1" line of the Password Storage Cheat Sheet).
import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm is a const enum (erased types cannot carry it): 2 is Argon2id.
const ARGON2ID = 2;
export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

// The same password typed on two devices may arrive composed ("é") or decomposed ("e" + "́"):
// NFKC makes them one (as NIST SP 800-63B advises), before hashing and before checking.
const prepare = (password: string) => password.normalize('NFKC');

export function hashPassword(password: string): Promise<string> {
  return hash(prepare(password), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, prepare(password));
  } catch {
    // A malformed stored hash (never written by this code) is a failed sign-in, not a crash.
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** A hash made like every real one, of a password nobody has. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('no account has this password, it only spends time');
  return dummy;
}

/**
 * Spends the same time as verifying a real password and always fails. Used when the username
 * is unknown, so response time does not reveal which usernames exist.
 */
export async function verifyNobody(password: string): Promise<false> {
  await verifyPassword(await dummyHash(), password);
  return false;
}
