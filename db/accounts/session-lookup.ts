// The one query every signed-in request makes: a session and its user, by session id, through a
// statement prepared once per connection. lucia's drizzle adapter builds two queries per call
// for this (about 0.7 ms); the rest of the adapter stays as it is.
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';

export interface SessionWithUser {
  session: { id: string; userId: string; expiresAt: number; createdAt: number; lastUsedAt: number; device: string };
  user: { id: string; username: string; displayName: string | null; role: 'reader' | 'admin'; bannedAt: number | null };
}

const lookup = perConnection((client) =>
  client.prepare(
    `select s.id, s.user_id as userId, s.expires_at as expiresAt, s.created_at as createdAt,
              s.last_used_at as lastUsedAt, s.device, u.username, u.display_name as displayName,
              u.role, u.banned_at as bannedAt
       from sessions s join users u on u.id = s.user_id where s.id = ?`,
  ),
);

export async function findSessionWithUser(db: Db, sessionId: string): Promise<SessionWithUser | null> {
  const row = lookup(db).get(sessionId) as (SessionWithUser['session'] & Omit<SessionWithUser['user'], 'id'>) | undefined;
  if (!row) return null;
  const { username, displayName, role, bannedAt, ...session } = row;
  return { session, user: { id: row.userId, username, displayName, role, bannedAt } };
}
