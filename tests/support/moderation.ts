// Actors for moderation tests: an admin account and the Actor the db functions take.
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../db/moderation/moderation-log.ts';
import { makeUser } from './fixtures.ts';

export async function makeAdmin(db: Db, username?: string): Promise<Actor & { id: string; username: string }> {
  const user = await makeUser(db, { role: 'admin', username });
  return { id: user.id, name: user.username, username: user.username };
}
