// An admin for moderation tests: the account, and the Reader the middleware would build for it,
// which the services and the audit log take as the moderator (with its id and name at hand); and
// how a test reads a refusal that db/moderation throws.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../db/client.ts';
import { comments, users } from '../../db/schema.ts';
import { readerOf, type Reader } from '../../src/features/accounts/reader.ts';
import { Refusal, refusalOf, type RefusalCode } from '../../src/features/refusal.ts';
import { makeUser } from './fixtures.ts';

export type TestAdmin = Reader & { id: string; name: string; username: string };

export async function makeAdmin(db: Db, username?: string): Promise<TestAdmin> {
  const user = await makeUser(db, { role: 'admin', username });
  const reader = readerOf({ id: user.id, username: user.username, displayName: null, role: 'admin', bannedAt: null });
  return { ...reader, id: user.id, name: user.username, username: user.username };
}

/** The refusal `work` throws (its transaction rolled back), checked for its code; its message, for further checks. */
export function refused(work: () => unknown, code: RefusalCode): string {
  const outcome = refusalOf(work);
  expect(outcome).toBeInstanceOf(Refusal);
  expect((outcome as Refusal).code).toBe(code);
  return (outcome as Refusal).message;
}

/** A comment's row (undefined once deleted) and an account's row, in the test's current database. */
export const rowsIn = (db: () => Db) => ({
  status: (id: number) => db().select().from(comments).where(eq(comments.id, id)).get(),
  user: (id: string) => db().select().from(users).where(eq(users.id, id)).get()!,
});
