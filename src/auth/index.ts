// Session handling for the running server: one lucia instance over the server's database.
import type { AstroCookies } from 'astro';
import type { Session, User } from 'lucia';
import { database } from '../../db/connection.ts';
import { createLucia, type Auth } from './lucia.ts';

let current: Auth | undefined;

export function auth(): Auth {
  current ??= createLucia(database(), { secure: (process.env.SITE_URL ?? '').startsWith('https:') });
  return current;
}

/** Reads the session cookie; a missing, expired or forged one means signed out, never an error. */
export async function sessionFromCookies(
  cookies: AstroCookies,
): Promise<{ user: User | null; session: Session | null }> {
  const lucia = auth();
  const id = cookies.get(lucia.sessionCookieName)?.value ?? null;
  if (!id) return { user: null, session: null };
  const { session, user } = await lucia.validateSession(id);
  if (session?.fresh) {
    const cookie = lucia.createSessionCookie(session.id);
    cookies.set(cookie.name, cookie.value, cookie.attributes);
  }
  if (!session) {
    const blank = lucia.createBlankSessionCookie();
    cookies.set(blank.name, blank.value, blank.attributes);
  }
  return { user, session };
}
