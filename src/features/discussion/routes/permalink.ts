// A comment's permalink (/comments/<id>): the page of the discussion that holds it, as this reader
// sees the discussion, so it works for a comment on a later page and without JavaScript.
import { locateComment } from '../../../../db/discussion/thread-reads.ts';
import { commentPageUrl } from '../page.ts';
import type { DiscussionRequest } from './answer.ts';

export type Permalink = { found: false } | { found: true; essay: string; page: number; href: string };

export async function findPermalink(request: DiscussionRequest, id: number | null): Promise<Permalink> {
  const where = id === null ? null : await locateComment(request.db, id, request.reader);
  return where ? { found: true, essay: where.essay, page: where.page, href: commentPageUrl(where.essay, where.page, id!) } : { found: false };
}
