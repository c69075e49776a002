// Writing comments: posting, editing and the author's delete, each one transaction that asks the
// discussion's rules again on the rows it is about to change (a check made before the write could
// be stale by then). A rule's refusal thrown inside rolls the transaction back and is returned.
import { eq } from 'drizzle-orm';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { refusalOf, type Outcome } from '../../src/features/refusal.ts';
import { DUPLICATE_WINDOW_MS, refusal, whyNotDelete, whyNotEdit, whyNotReplyTo } from '../../src/features/discussion/rules.ts';
import type { CommentStatus } from '../../src/features/discussion/types.ts';
import type { Db } from '../client.ts';
import { retractComments, type RetractionResult, type Tx } from './comment-retraction.ts';
import { initialStatus } from './comment-status.ts';
import { insertAnchor } from './passages.ts';
import type { NewAnchor } from '../../src/features/passages/anchoring.ts';
import { holdDecisionIn, holdNote } from '../moderation/holds.ts';
import { perConnection } from '../prepared.ts';
import { comments } from '../schema.ts';

export interface NewComment {
  essay: string;
  authorId: string;
  parentId?: number | null;
  bodySource: string;
  bodyHtml: string;
  rendererVersion: number;
  createdAt?: number;
  status?: CommentStatus;
  /** The passage a top-level comment is about (src/features/passages/anchoring.ts): stored with it, in the same transaction. */
  anchor?: NewAnchor | null;
}

/** Inserts a row as given, no rules applied: for fixtures, seeding and imports. */
export async function insertComment(db: Db, input: NewComment): Promise<number> {
  return db.transaction((tx) => {
    const id = insertRow(tx, input);
    if (input.anchor) insertAnchor(db, id, input.essay, input.anchor);
    return id;
  });
}

function insertRow(tx: Tx, input: NewComment): number {
  const parent = input.parentId
    ? tx.select({ rootId: comments.rootId, depth: comments.depth }).from(comments).where(eq(comments.id, input.parentId)).get()
    : undefined;
  const row = tx
    .insert(comments)
    .values({
      essay: input.essay,
      authorId: input.authorId,
      parentId: input.parentId ?? null,
      rootId: parent?.rootId ?? null,
      depth: parent ? parent.depth + 1 : 0,
      bodySource: input.bodySource,
      bodyHtml: input.bodyHtml,
      rendererVersion: input.rendererVersion,
      status: input.status ?? 'published',
      createdAt: input.createdAt ?? Date.now(),
    })
    .returning({ id: comments.id })
    .get();
  if (!parent) tx.update(comments).set({ rootId: row.id }).where(eq(comments.id, row.id)).run();
  return row.id;
}

const posting = perConnection((client, db) => {
  const duplicate = client
    .prepare(
      `select id from comments where author_id = @author and created_at > @since and essay = @essay
        and parent_id is @parent and body_source = @body limit 1`,
    )
    .pluck();
  const parent = client.prepare('select essay, status, author_id as authorId, root_id as rootId, depth from comments where id = ?');
  const insert = client
    .prepare(
      `insert into comments (essay, author_id, parent_id, root_id, depth, body_source, body_html, renderer_version, status, moderation_note, created_at)
        values (@essay, @author, @parent, @root, @depth, @source, @html, @version, @status, @note, @now) returning id`,
    )
    .pluck();
  const setRoot = client.prepare('update comments set root_id = id where id = ?');
  type Parent = { essay: string; status: string; authorId: string | null; rootId: number | null; depth: number };

  return client.transaction((input: NewComment & { createdAt: number; reader: Reader }): { ok: true; id: number; duplicate: boolean } => {
    const now = input.createdAt;
    const parentId = input.parentId ?? null;
    const same = duplicate.get({ author: input.authorId, since: now - DUPLICATE_WINDOW_MS, essay: input.essay, parent: parentId, body: input.bodySource }) as number | undefined;
    if (same !== undefined) return { ok: true, id: same, duplicate: true };

    const above = parentId === null ? undefined : (parent.get(parentId) as Parent | undefined);
    const notHere = parentId === null ? null : whyNotReplyTo(above, input.essay, input.reader);
    if (notHere) throw refusal(notHere);
    const { status, moderationNote } = initialStatus(db, { authorId: input.authorId, essay: input.essay, bodySource: input.bodySource, now });
    const id = insert.get({
      essay: input.essay,
      author: input.authorId,
      parent: parentId,
      root: above?.rootId ?? null,
      depth: above ? above.depth + 1 : 0,
      source: input.bodySource,
      html: input.bodyHtml,
      version: input.rendererVersion,
      status,
      note: moderationNote,
      now,
    }) as number;
    if (!above) setRoot.run(id);
    if (input.anchor) insertAnchor(db, id, input.essay, input.anchor);
    return { ok: true, id, duplicate: false };
  });
});

/**
 * Posts a comment under the rules that need the database, atomically: one comment for the same
 * text within DUPLICATE_WINDOW_MS, and a parent that takes replies (whyNotReplyTo). The status
 * comes from initialStatus().
 */
export async function postComment(db: Db, input: NewComment & { createdAt: number; reader: Reader }): Promise<Outcome<{ id: number; duplicate: boolean }>> {
  // Immediate: it reads before it writes, and a deferred transaction cannot wait for another process's write (SQLITE_BUSY).
  return refusalOf(() => posting(db).immediate(input));
}

/**
 * The author's edit, under whyNotEdit (the 15-minute window); marks the comment edited. The new
 * text meets the same hold rules as a new comment: text a fresh post would hold goes back to the
 * queue, and a held comment stays held whatever the edit.
 */
export async function editComment(
  db: Db,
  input: { id: number; reader: Reader; bodySource: string; bodyHtml: string; rendererVersion: number; now: number },
): Promise<Outcome> {
  return refusalOf(() =>
    db.transaction((tx) => {
      const row = tx.select({ authorId: comments.authorId, status: comments.status, createdAt: comments.createdAt }).from(comments).where(eq(comments.id, input.id)).get();
      // Whether the discussion is closed was asked by the service (it knows the essay's front matter), as for likes.
      const notNow = whyNotEdit(row, input.reader, input.now, false);
      if (notNow) throw refusal(notNow);
      const authorId = row!.authorId!;
      const decision = holdDecisionIn(db, { authorId, bodySource: input.bodySource });
      const held = decision.status === 'pending' ? { status: 'pending' as const, moderationNote: holdNote(decision.reasons) } : {};
      tx.update(comments)
        .set({ bodySource: input.bodySource, bodyHtml: input.bodyHtml, rendererVersion: input.rendererVersion, editedAt: input.now, ...held })
        .where(eq(comments.id, input.id))
        .run();
      return { ok: true as const };
    }, { behavior: 'immediate' }),
  );
}

/** The author takes a comment back: a placeholder if replies hang on it, else gone. */
export async function deleteOwnComment(db: Db, input: { id: number; reader: Reader }): Promise<Outcome<{ essay: string; rootId: number } & RetractionResult>> {
  return refusalOf(() =>
    db.transaction((tx) => {
      const row = tx.select({ authorId: comments.authorId, essay: comments.essay, rootId: comments.rootId, status: comments.status }).from(comments).where(eq(comments.id, input.id)).get();
      const notYours = whyNotDelete(row, input.reader);
      if (notYours) throw refusal(notYours);
      return { ok: true as const, essay: row!.essay, rootId: row!.rootId ?? input.id, ...retractComments(tx, [input.id]) };
    }, { behavior: 'immediate' }),
  );
}
