// A comment's permalink (/comments/<id>): the page of the discussion that holds it, as this reader
// sees the discussion, so it works for a comment on a later page and without JavaScript.
import { findComment, locateComment } from '../../../../db/discussion/thread-reads.ts';
import { commentPageUrl } from '../page.ts';
import { mayReadComment } from '../rules.ts';
import type { DiscussionRequest } from './answer.ts';

export type Permalink = { found: false } | { found: true; essay: string; page: number; href: string };

export async function findPermalink(request: DiscussionRequest, id: number | null): Promise<Permalink> {
  // A comment the reader may not read (held, hidden) answers as a missing one: its existence is not told.
  const comment = id === null ? undefined : await findComment(request.db, id);
  const where = comment && mayReadComment(comment, request.reader) ? await locateComment(request.db, comment.id, request.reader) : null;
  return where ? { found: true, essay: where.essay, page: where.page, href: commentPageUrl(where.essay, where.page, id!) } : { found: false };
}
