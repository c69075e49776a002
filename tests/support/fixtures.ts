// Rows for tests, written through the real data-access modules.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { insertComment } from '../../db/comments.ts';
import { insertUser } from '../../db/users.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';

let counter = 0;

export async function makeUser(db: Db, overrides: { username?: string; displayName?: string; role?: 'reader' | 'admin' } = {}) {
  const id = randomUUID();
  const username = overrides.username ?? `reader${++counter}${id.slice(0, 4)}`;
  await insertUser(db, { id, username, displayName: overrides.displayName ?? null, passwordHash: 'not-a-real-hash', role: overrides.role });
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
