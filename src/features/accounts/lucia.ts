// The one place that knows about lucia 3. Callers use the functions in this feature,
// so lucia could be swapped for its single-file successor without touching them.
import { DrizzleSQLiteAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { Db } from '../../../db/client.ts';
import { sessions, users } from '../../../db/schema.ts';
import { findSessionWithUser } from '../../../db/accounts/session-lookup.ts';

export const SESSION_DAYS = 30;

/** The drizzle adapter, with its hot path (every signed-in request) answered by one prepared query. */
class SessionAdapter extends DrizzleSQLiteAdapter {
  readonly #db: Db;

  constructor(db: Db) {
    super(db, sessions, users);
    this.#db = db;
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const found = await findSessionWithUser(this.#db, sessionId);
    if (!found) return [null, null];
    const { id, userId, expiresAt, ...sessionAttributes } = found.session;
    const { id: uid, ...userAttributes } = found.user;
    return [
      { id, userId, expiresAt: new Date(expiresAt * 1000), attributes: sessionAttributes },
      { id: uid, attributes: userAttributes },
    ];
  }
}

export function createLucia(db: Db, options: { secure: boolean }) {
  return new Lucia(new SessionAdapter(db), {
    sessionExpiresIn: new TimeSpan(SESSION_DAYS, 'd'),
    sessionCookie: {
      name: 'session',
      attributes: { secure: options.secure, sameSite: 'lax', path: '/' },
    },
    getUserAttributes: (row) => ({
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      bannedAt: row.bannedAt,
    }),
    getSessionAttributes: (row) => ({
      createdAt: row.createdAt,
      lastUsedAt: row.lastUsedAt,
      device: row.device,
    }),
  });
}

export type Auth = ReturnType<typeof createLucia>;

declare module 'lucia' {
  interface Register {
    Lucia: Auth;
    DatabaseUserAttributes: {
      username: string;
      displayName: string | null;
      role: 'reader' | 'admin';
      bannedAt: number | null;
    };
    DatabaseSessionAttributes: {
      createdAt: number;
      lastUsedAt: number;
      device: string;
    };
  }
}

export type { Session, User } from 'lucia';
