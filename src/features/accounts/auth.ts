// Session handling for the running server: one lucia instance and one limiter secret over the
// server's database.
import type { AstroCookies } from 'astro';
import { database, DEFAULT_DATABASE_PATH } from '../../../db/connection.ts';
import { createLucia, type Auth, type Session, type User } from './lucia.ts';
import { dummyHash } from './password.ts';
import { loadAuthSecret } from './secret.ts';
import { sessionFromCookie, type AuthContext } from './sessions.ts';

let current: AuthContext | undefined;

export function authContext(): AuthContext {
  // Made now, so even the first sign-in with an unknown username takes no longer than the rest.
  if (!current) void dummyHash();
  current ??= {
    db: database(),
    lucia: createLucia(database(), { secure: (process.env.SITE_URL ?? '').startsWith('https:') }),
    secret: loadAuthSecret(process.env, process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH),
  };
  return current;
}

export function auth(): Auth {
  return authContext().lucia;
}

/** Reads the session cookie; a missing, expired or forged one means signed out, never an error. */
export async function sessionFromCookies(cookies: AstroCookies): Promise<{ user: User | null; session: Session | null }> {
  return sessionFromCookie(authContext(), cookies);
}
