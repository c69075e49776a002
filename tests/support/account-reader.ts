// The Reader the middleware would build for an account, read from the test's database: what the
// account services take in place of a signed-in request.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import { readerOf, type Reader } from '../../src/features/accounts/reader.ts';

export function readerFor(db: Db, userId: string): Reader {
  const row = db.select().from(users).where(eq(users.id, userId)).get();
  if (!row) throw new Error(`no account ${userId}`);
  return readerOf({ id: row.id, username: row.username, displayName: row.displayName, role: row.role, bannedAt: row.bannedAt });
}
