// A comment's permalink (/comments/<id>): the page of the discussion that holds it, as this reader
// sees the discussion, so it works for a comment on a later page and without JavaScript. A thread
// on a passage opens on its passage's page: the passage as the essay has it, with its comments.
import { anchorOfComment } from '../../../../db/discussion/passages.ts';
import { findComment, locateComment } from '../../../../db/discussion/thread-reads.ts';
import { commentPageUrl } from '../page.ts';
import { mayReadComment } from '../rules.ts';
import type { DiscussionRequest } from './answer.ts';

/** `page` is the page of the whole discussion, oldest first (what the island's script loads up to); `href` where a reader is sent. */
export type Permalink = { found: false } | { found: true; essay: string; page: number; href: string };

export async function findPermalink(request: DiscussionRequest, id: number | null): Promise<Permalink> {
  // A comment the reader may not read (held, hidden) answers as a missing one: its existence is not told.
  const comment = id === null ? undefined : await findComment(request.db, id);
  const where = comment && mayReadComment(comment, request.reader) ? await locateComment(request.db, comment.id, request.reader) : null;
  if (!where) return { found: false };
  const passage = anchorOfComment(request.db, where.rootId)?.block ?? null;
  const onPassage = passage ? await locateComment(request.db, comment!.id, request.reader, passage) : null;
  const href = onPassage ? commentPageUrl(where.essay, onPassage.page, id!, passage) : commentPageUrl(where.essay, where.page, id!);
  return { found: true, essay: where.essay, page: where.page, href };
}
