// Thread rows as the discussion query returns them, for tests of the thread builder and its markup.
import type { ThreadRow } from '../../src/features/discussion/thread.ts';

let nextId = 1;
export function row(overrides: Partial<ThreadRow> & { parentId?: number | null } = {}): ThreadRow {
  const id = overrides.id ?? nextId++;
  return {
    id,
    essay: 'e',
    parentId: null,
    rootId: id,
    depth: 0,
    authorId: 'u1',
    authorUsername: 'ada',
    authorName: 'Ada',
    bodyHtml: `<p>${id}</p>`,
    status: 'published',
    moderationReason: null,
    likeCount: 0,
    createdAt: id * 1000,
    editedAt: null,
    liked: false,
    ...overrides,
  };
}

