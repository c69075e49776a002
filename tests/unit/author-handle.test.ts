// A display name can be anything its reader likes, so the comment's author line also shows the
// unique @username beside it (finding 12 of the security review); without a display name the
// username alone is shown, once.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { threadListHtml } from '../../src/features/discussion/comment-html.ts';
import { buildThreads, type ThreadRow } from '../../src/features/discussion/thread.ts';
import { SIGNED_OUT } from '../support/discussion-readers.ts';
import { row } from '../support/thread-rows.ts';

function render(rows: ThreadRow[]) {
  const threads = buildThreads(rows, { sort: 'oldest', reader: SIGNED_OUT });
  const out = threadListHtml({ essay: 'e', reader: SIGNED_OUT, closed: false, now: 10_000_000, threads, sort: 'oldest', page: 1, hasMore: false });
  return parseHTML(`<!doctype html><html><body>${out.markup}</body></html>`).document;
}

describe('the author line of a comment', () => {
  it('shows the @username beside a display name', () => {
    const doc = render([row({ id: 1, authorUsername: 'mallory', authorName: 'admin' })]);
    const meta = doc.querySelector('#comment-1 .comment-meta')!;
    expect(meta.querySelector('.comment-author')!.textContent).toBe('admin');
    expect(meta.querySelector('.comment-handle')!.textContent).toBe('@mallory');
  });

  it('shows the username once when there is no display name', () => {
    const doc = render([row({ id: 2, authorUsername: 'ada', authorName: null })]);
    const meta = doc.querySelector('#comment-2 .comment-meta')!;
    expect(meta.querySelector('.comment-author')!.textContent).toBe('ada');
    expect(meta.querySelector('.comment-handle')).toBeNull();
  });

  it('escapes the username', () => {
    const doc = render([row({ id: 3, authorUsername: '<b>x</b>', authorName: 'X' })]);
    expect(doc.querySelector('#comment-3 .comment-handle')!.textContent).toBe('@<b>x</b>');
    expect(doc.querySelectorAll('#comment-3 b').length).toBe(0);
  });
});
