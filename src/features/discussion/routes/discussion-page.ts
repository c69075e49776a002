// One page of an essay's discussion, on demand (/discussion/<essay>/?page=N&sort=…): what readers
// without JavaScript use, and what "Show more" and the sort links fetch as a fragment. With
// `?passage=<block>` it is one passage's page: the passage as the essay has it now, the comments on
// it, and a form to comment on it (the margin marker's link without JavaScript).
import { refuse } from '../../refusal.ts';
import { BLOCK_ID, type Block } from '../../passages/blocks.ts';
import { wholeBlockQuote } from '../../passages/passage-rules.ts';
import { builtPassages } from '../../passages/service.ts';
import { loadDiscussionMarkup, type DiscussionPageMarkup } from '../page-markup.ts';
import { parsePage } from '../rules.ts';
import { parseSort, type Sort } from '../thread.ts';
import type { EssayInfo } from '../types.ts';
import type { Answer, DiscussionRequest } from './answer.ts';
import type { PassageFormValue } from './new-comment.ts';

/** The passage a page is about: its block as built, and what the form without a script quotes of it. */
export interface PassageView {
  block: Block;
  form: PassageFormValue;
}

export type DiscussionPageView = { essay: EssayInfo; data: DiscussionPageMarkup; sort: Sort; page: number; passage: PassageView | null } | null;

// The same address answers a page or a fragment, per reader.
const VARY = { Vary: 'Cookie, X-Discussion-Fragment' };

export async function discussionPage(request: DiscussionRequest, slug: string, query: URLSearchParams): Promise<Answer<DiscussionPageView>> {
  const essay = await request.essayOf(slug);
  if (!essay) return { view: null, refusal: refuse('not-found', 'There is no essay at this address.'), headers: VARY };
  const asked = query.get('passage');
  let passage: PassageView | null = null;
  if (asked !== null) {
    if (!BLOCK_ID.test(asked)) return { view: null, refusal: refuse('invalid', 'That address does not name a passage.'), headers: VARY };
    const block = (request.passagesOf ?? builtPassages)(essay.slug)?.blocks.find((b) => b.id === asked);
    if (!block) return { view: null, refusal: refuse('not-found', 'That passage is not in the essay as it stands now: it may have been edited since.'), headers: VARY };
    // Without a script a reader comments on the whole block (or its first 500 characters).
    passage = { block, form: { block: block.id, quote: wholeBlockQuote(block.text), prefix: '', suffix: '' } };
  }
  const sort = parseSort(query.get('sort'));
  const page = parsePage(query.get('page'));
  const data = await loadDiscussionMarkup(request.db, { essay, sort, page, reader: request.reader, now: request.now, passage: passage?.block.id ?? null, passagesOf: request.passagesOf });
  return { view: { essay, data, sort, page, passage }, headers: VARY };
}
