// Readers as the middleware builds them (readerOf), for tests that call the discussion's
// functions directly: an account made by the fixtures, with its role and standing.
import { readerOf, SIGNED_OUT, type Reader } from '../../src/features/accounts/reader.ts';

export { SIGNED_OUT };

export function readerAs(user: { id: string; username?: string; displayName?: string | null }, options: { role?: 'reader' | 'admin'; bannedAt?: number | null } = {}): Reader {
  return readerOf({
    id: user.id,
    username: user.username ?? user.id,
    displayName: user.displayName ?? null,
    role: options.role ?? 'reader',
    bannedAt: options.bannedAt ?? null,
  });
}

/** The same reader, suspended at `at`. */
export const suspended = (reader: Reader, at = 1): Reader => readerOf({ ...reader.account!, bannedAt: at });
