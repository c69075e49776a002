import { describe, expect, it } from 'vitest';
import { MAX_DISPLAY_DEPTH, buildThreads, findNode, parseSort, walkThreads, type ThreadRow } from '../../src/features/discussion/thread.ts';
import { readerAs, SIGNED_OUT } from '../support/discussion-readers.ts';
import { row } from '../support/thread-rows.ts';

/** A random forest: every row's parent is an earlier row or none. */
function randomRows(count: number, seed: number): ThreadRow[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows: ThreadRow[] = [];
  for (let i = 0; i < count; i++) {
    const parent = rows.length && rand() < 0.7 ? rows[Math.floor(rand() * rows.length)]! : null;
    rows.push(
      row({
        id: 10_000 + i,
        parentId: parent?.id ?? null,
        rootId: parent?.rootId ?? 10_000 + i,
        depth: parent ? parent.depth + 1 : 0,
        likeCount: Math.floor(rand() * 5),
        createdAt: Math.floor(rand() * 1e6),
      }),
    );
  }
  return rows;
}

describe('the thread builder', () => {
  it('shows every published comment exactly once, for every sort', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rows = randomRows(300, seed);
      for (const sort of ['oldest', 'newest', 'liked'] as const) {
        const ids = [...walkThreads(buildThreads([...rows].reverse(), { sort, reader: SIGNED_OUT }))].map((n) => n.comment.id);
        expect(ids.length).toBe(rows.length);
        expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
      }
    }
  });

  it('nests replies under their parents, oldest first', () => {
    const a = row({ id: 1, createdAt: 1 });
    const late = row({ id: 3, parentId: 1, rootId: 1, depth: 1, createdAt: 30 });
    const early = row({ id: 2, parentId: 1, rootId: 1, depth: 1, createdAt: 20 });
    const [thread] = buildThreads([late, a, early], { sort: 'newest', reader: SIGNED_OUT });
    expect(thread!.replies.map((n) => n.comment.id)).toEqual([2, 3]);
    expect(thread!.replies.map((n) => n.displayDepth)).toEqual([1, 1]);
  });

  it('orders top-level threads oldest, newest or most liked first (ties: oldest)', () => {
    const rows = [row({ id: 1, createdAt: 1, likeCount: 2 }), row({ id: 2, createdAt: 2, likeCount: 9 }), row({ id: 3, createdAt: 3, likeCount: 2 })];
    const order = (sort: 'oldest' | 'newest' | 'liked') => buildThreads(rows, { sort, reader: SIGNED_OUT }).map((n) => n.comment.id);
    expect(order('oldest')).toEqual([1, 2, 3]);
    expect(order('newest')).toEqual([3, 2, 1]);
    expect(order('liked')).toEqual([2, 1, 3]);
  });

  it('caps indentation at depth 5: deeper replies are listed flat there, saying whom they answer', () => {
    const rows: ThreadRow[] = [];
    for (let depth = 0; depth <= 8; depth++) {
      rows.push(row({ id: 100 + depth, parentId: depth ? 99 + depth : null, rootId: 100, depth, authorUsername: `user${depth}`, createdAt: depth }));
    }
    const threads = buildThreads(rows, { sort: 'oldest', reader: SIGNED_OUT });
    const nodes = [...walkThreads(threads)];
    expect(nodes.map((n) => n.displayDepth)).toEqual([0, 1, 2, 3, 4, 5, 5, 5, 5]);
    expect(Math.max(...nodes.map((n) => n.displayDepth))).toBe(MAX_DISPLAY_DEPTH);
    const capped = findNode(threads, 105)!.node;
    expect(capped.replies.map((n) => [n.comment.id, n.replyingTo?.username])).toEqual([
      [106, 'user5'],
      [107, 'user6'],
      [108, 'user7'],
    ]);
    expect(nodes.filter((n) => n.displayDepth < 5).every((n) => n.replyingTo === null)).toBe(true);
    expect(findNode(threads, 108)!.listOwner).toBe(105);
    expect(findNode(threads, 104)!.listOwner).toBe(103);
    expect(findNode(threads, 100)!.listOwner).toBe(null);
  });

  it('keeps a deleted or hidden comment with replies as a placeholder, and drops one without', () => {
    const rows = [
      row({ id: 1, status: 'deleted', authorId: null }),
      row({ id: 2, parentId: 1, rootId: 1, depth: 1 }),
      row({ id: 3, status: 'hidden', moderationReason: 'abuse' }),
      row({ id: 4, parentId: 3, rootId: 3, depth: 1 }),
      row({ id: 5, status: 'hidden', moderationReason: 'spam' }),
      row({ id: 6, status: 'deleted' }),
    ];
    const threads = buildThreads(rows, { sort: 'oldest', reader: SIGNED_OUT });
    expect(threads.map((n) => [n.comment.id, n.kind])).toEqual([
      [1, 'deleted'],
      [3, 'removed'],
    ]);
  });

  it('shows a pending comment to its author only', () => {
    const rows = [row({ id: 1, authorId: 'me', status: 'pending' }), row({ id: 2, authorId: 'other' })];
    expect(buildThreads(rows, { sort: 'oldest', reader: readerAs({ id: 'me' }) }).map((n) => [n.comment.id, n.kind])).toEqual([
      [1, 'pending'],
      [2, 'comment'],
    ]);
    expect(buildThreads(rows, { sort: 'oldest', reader: readerAs({ id: 'someone' }) }).map((n) => n.comment.id)).toEqual([2]);
    expect(buildThreads(rows, { sort: 'oldest', reader: SIGNED_OUT }).map((n) => n.comment.id)).toEqual([2]);
  });

  it('drops a placeholder whose replies are all invisible (placeholders all the way down)', () => {
    const rows = [row({ id: 1, status: 'deleted' }), row({ id: 2, parentId: 1, rootId: 1, depth: 1, status: 'hidden' })];
    expect(buildThreads(rows, { sort: 'oldest', reader: SIGNED_OUT })).toEqual([]);
  });

  it('reads an unknown sort as oldest', () => {
    expect(parseSort('liked')).toBe('liked');
    expect(parseSort('; drop table')).toBe('oldest');
    expect(parseSort(null)).toBe('oldest');
  });
});
