// Starting, ending, listing and refreshing sessions. The cookie is lucia's: HttpOnly,
// SameSite=Lax, Path=/, Secure when the site is served over https, 30 days from the last use.
import { createHash } from 'node:crypto';
import type { AstroCookies } from 'astro';
import type { Db } from '../../../db/client.ts';
import { deleteOtherSessions, deleteSessionOf, listSessions, touchSessions, type SessionRow, type SessionTouch } from '../../../db/accounts/sessions.ts';
import { writeBatch } from '../../lib/write-batch.ts';
import { coarseDevice } from './device.ts';
import { SESSION_DAYS, type Auth, type Session } from './lucia.ts';
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_MAX_AGE_SECONDS, knownDeviceToken } from './throttle.ts';

export interface AuthContext {
  db: Db;
  lucia: Auth;
  /** Key for the limiter's hashes (see secret.ts). */
  secret: Buffer;
}

// "Last used" is stamped at most this often, so reading pages does not mean a write per request;
// the stamps wait and are written together, TOUCH_FLUSH_MS later (lib/write-batch.ts says why).
export const TOUCH_INTERVAL_MS = 5 * 60 * 1000;
export const TOUCH_FLUSH_MS = 5_000;
const touches = writeBatch<Db, SessionTouch>((db, waiting) => {
  if (db.$client.open) touchSessions(db, waiting);
}, TOUCH_FLUSH_MS);

/** Writes the "last used" stamps waiting to be written. */
export function flushSessionTouches(db: Db): void {
  touches.flush(db);
}
const SESSION_MS = SESSION_DAYS * 24 * 60 * 60 * 1000;

export async function startSession(ctx: AuthContext, cookies: AstroCookies, userId: string, userAgent: string | null): Promise<void> {
  // Whatever session this browser held before ends: no fixation, no orphaned rows.
  const previous = cookies.get(ctx.lucia.sessionCookieName)?.value;
  if (previous) await ctx.lucia.invalidateSession(previous);
  const now = Date.now();
  const session = await ctx.lucia.createSession(userId, { createdAt: now, lastUsedAt: now, device: coarseDevice(userAgent) });
  const cookie = ctx.lucia.createSessionCookie(session.id);
  cookies.set(cookie.name, cookie.value, cookie.attributes);
}

/**
 * Marks this browser as one the account signed in from, so the sign-in limits that outsiders can
 * fill never apply to it (throttle.ts). Sent only to /signin; it outlives the session on purpose.
 */
export function rememberDevice(ctx: AuthContext, cookies: AstroCookies, username: string): void {
  cookies.set(KNOWN_DEVICE_COOKIE, knownDeviceToken(ctx.secret, username), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/signin',
    secure: ctx.lucia.createBlankSessionCookie().attributes.secure ?? false,
    maxAge: KNOWN_DEVICE_MAX_AGE_SECONDS,
  });
}

export async function endSession(ctx: AuthContext, cookies: AstroCookies, sessionId: string | null): Promise<void> {
  if (sessionId) await ctx.lucia.invalidateSession(sessionId);
  clearSessionCookie(ctx, cookies);
}

export function clearSessionCookie(ctx: AuthContext, cookies: AstroCookies): void {
  const blank = ctx.lucia.createBlankSessionCookie();
  cookies.set(blank.name, blank.value, blank.attributes);
}

export interface SessionCookie {
  name: string;
  value: string;
  attributes: ReturnType<Auth['createSessionCookie']>['attributes'];
}

/**
 * Checks a session id from a cookie. Missing, expired or forged means signed out (and a blank
 * cookie to clear it), never an error. A live session is stamped "used" at most every
 * TOUCH_INTERVAL_MS, and each stamp slides its expiry to thirty days from now, in the database
 * (within TOUCH_FLUSH_MS) and in a fresh cookie.
 */
/**
 * The session `id` names and its account, when it is valid and nothing about it is due (no stamp,
 * no fresh cookie); otherwise null, and checkSession() is what to ask. Writes nothing: for
 * callers that must leave the renewal to the full path (features/discussion/direct-posts.ts).
 */
export async function sessionWithoutRenewal(ctx: AuthContext, id: string, now = Date.now()) {
  const { session, user } = await ctx.lucia.validateSession(id);
  if (!session || !user) return null;
  const waiting = touches.pending(ctx.db, session.id);
  if (!waiting && (now - session.lastUsedAt >= TOUCH_INTERVAL_MS || session.fresh)) return null;
  return { user, session };
}

export async function checkSession(ctx: AuthContext, id: string | null, now = Date.now()) {
  if (!id) return { user: null, session: null, cookie: null };
  const { session, user } = await ctx.lucia.validateSession(id);
  if (!session) return { user: null, session: null, cookie: ctx.lucia.createBlankSessionCookie() as SessionCookie };
  let cookie: SessionCookie | null = null;
  const waiting = touches.pending(ctx.db, session.id);
  if (waiting) {
    session.lastUsedAt = waiting.lastUsedAt;
    session.expiresAt = new Date(waiting.expiresAt * 1000);
  } else if (now - session.lastUsedAt >= TOUCH_INTERVAL_MS || session.fresh) {
    const expiresAt = now + SESSION_MS;
    touches.add(ctx.db, session.id, { id: session.id, lastUsedAt: now, expiresAt: Math.floor(expiresAt / 1000) });
    session.lastUsedAt = now;
    session.expiresAt = new Date(expiresAt);
    cookie = ctx.lucia.createSessionCookie(session.id);
  }
  return { user, session, cookie };
}

export async function sessionFromCookie(ctx: AuthContext, cookies: AstroCookies) {
  const { user, session, cookie } = await checkSession(ctx, cookies.get(ctx.lucia.sessionCookieName)?.value ?? null);
  if (cookie) cookies.set(cookie.name, cookie.value, cookie.attributes);
  return { user, session };
}

/**
 * What the session list shows instead of session ids: the ids are the secrets in the cookies,
 * so they never appear in a page. A short hash names a session well enough to revoke it.
 */
export function sessionHandle(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 22);
}

export interface ListedSession extends Omit<SessionRow, 'id'> {
  handle: string;
  current: boolean;
}

export async function listSessionsFor(ctx: AuthContext, userId: string, currentId: string): Promise<ListedSession[]> {
  return (await listSessions(ctx.db, userId)).map(({ id, ...rest }) => ({ ...rest, handle: sessionHandle(id), current: id === currentId }));
}

/** Ends one of the reader's sessions by its handle; false when no session of theirs matches. */
export async function revokeSession(ctx: AuthContext, userId: string, handle: string): Promise<boolean> {
  const match = (await listSessions(ctx.db, userId)).find((s) => sessionHandle(s.id) === handle);
  return match ? deleteSessionOf(ctx.db, userId, match.id) : false;
}

export async function revokeOtherSessions(ctx: AuthContext, userId: string, currentId: string): Promise<number> {
  return deleteOtherSessions(ctx.db, userId, currentId);
}

export type { Session };
