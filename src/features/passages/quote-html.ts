// A passage comment's quote, as the discussion shows it above the comment's text: a block quotation
// of the words the reader quoted, linking to where they stand in the essay now (`?hl=` lets the
// essay page's script highlight the very words; `#<block>` takes a reader without a script to the
// block). A comment whose passage is no longer in the essay keeps its quote, marked "on an earlier
// version of this passage", without a link. The quote is escaped like every other value.
import { html, type Html } from '../../lib/html-template.ts';
import type { CommentPassage } from '../discussion/thread.ts';
import { passageInEssayUrl } from './passage-rules.ts';

export function passageQuoteHtml(essay: string, passage: CommentPassage | null | undefined): Html | null {
  if (!passage) return null;
  const { block, start, end } = passage;
  if (block === null || start === null || end === null) {
    return html`<blockquote class="comment-passage comment-passage-detached"><p class="comment-passage-note">On an earlier version of this passage</p><p>${passage.quote}</p></blockquote>`;
  }
  return html`<blockquote class="comment-passage"><a href="${passageInEssayUrl(essay, { block, start, end })}" data-passage-link>${passage.quote}</a></blockquote>`;
}
