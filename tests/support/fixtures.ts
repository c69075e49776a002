// Rows for tests, written through the real data-access modules.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { insertComment } from '../../db/discussion/comment-writes.ts';
import { users } from '../../db/schema.ts';
import { insertUser } from '../../db/accounts/users.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';

let counter = 0;

/**
 * An established reader: trusted (a moderator has approved a comment of theirs), so the
 * first-comment hold does not apply. `trusted: false` makes a new account whose comments are held.
 */
export async function makeUser(db: Db, overrides: { username?: string; displayName?: string; role?: 'reader' | 'admin'; trusted?: boolean } = {}) {
  const id = randomUUID();
  const username = overrides.username ?? `reader${++counter}${id.slice(0, 4)}`;
  await insertUser(db, { id, username, displayName: overrides.displayName ?? null, passwordHash: 'not-a-real-hash', role: overrides.role });
  if (overrides.trusted !== false) db.update(users).set({ trustedAt: Date.now() }).where(eq(users.id, id)).run();
  return { id, username };
}

export async function makeComment(db: Db, input: { essay: string; authorId: string; body: string; parentId?: number; createdAt?: number }) {
  return insertComment(db, {
    essay: input.essay,
    authorId: input.authorId,
    parentId: input.parentId ?? null,
    bodySource: input.body,
    bodyHtml: `<p>${escapeHtml(input.body)}</p>`,
    rendererVersion: 0,
    createdAt: input.createdAt,
  });
}
