// One page of an essay's discussion, on demand (/discussion/<essay>/?page=N&sort=…): what readers
// without JavaScript use, and what "Show more" and the sort links fetch as a fragment.
import { refuse } from '../../refusal.ts';
import { loadDiscussionMarkup, type DiscussionPageMarkup } from '../page-markup.ts';
import { parsePage } from '../rules.ts';
import { parseSort, type Sort } from '../thread.ts';
import type { EssayInfo } from '../types.ts';
import type { Answer, DiscussionRequest } from './answer.ts';

export type DiscussionPageView = { essay: EssayInfo; data: DiscussionPageMarkup; sort: Sort; page: number } | null;

// The same address answers a page or a fragment, per reader.
const VARY = { Vary: 'Cookie, X-Discussion-Fragment' };

export async function discussionPage(request: DiscussionRequest, slug: string, query: URLSearchParams): Promise<Answer<DiscussionPageView>> {
  const essay = await request.essayOf(slug);
  if (!essay) return { view: null, refusal: refuse('not-found', 'There is no essay at this address.'), headers: VARY };
  const sort = parseSort(query.get('sort'));
  const page = parsePage(query.get('page'));
  const data = await loadDiscussionMarkup(request.db, { essay, sort, page, reader: request.reader, now: request.now });
  return { view: { essay, data, sort, page }, headers: VARY };
}
