// The discussion's markup, rendered by the same functions the island and the pages use, read back
// through a DOM parser: structure, who sees which control, and escaping.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { commentHtml, likeButtonHtml, threadListHtml, type ThreadContext } from '../../src/features/discussion/comment-html.ts';
import { MAX_DISPLAY_DEPTH, buildThreads, type ThreadRow } from '../../src/features/discussion/thread.ts';
import { readerAs, SIGNED_OUT, suspended } from '../support/discussion-readers.ts';
import { row } from '../support/thread-rows.ts';

const NOW = Date.UTC(2026, 10, 22, 12);
const ada = readerAs({ id: 'u1', username: 'ada', displayName: 'Ada' });
const bob = readerAs({ id: 'u2', username: 'bob', displayName: 'Bob' });
const admin = readerAs({ id: 'u9', username: 'mod' }, { role: 'admin' });

function dom(markup: string) {
  return parseHTML(`<!doctype html><html><body>${markup}</body></html>`).document;
}
function render(rows: ThreadRow[], ctx: Partial<ThreadContext> = {}, list: { hasMore?: boolean; sort?: 'oldest' | 'newest' | 'liked' } = {}) {
  const reader = ctx.reader ?? SIGNED_OUT;
  const threads = buildThreads(rows, { sort: list.sort ?? 'oldest', reader });
  const out = threadListHtml({ essay: 'an essay', reader, closed: false, now: NOW, threads, sort: list.sort ?? 'oldest', page: 1, hasMore: list.hasMore ?? false, ...ctx });
  return dom(out.markup);
}
/** How many elements match any of the comma-separated selectors inside one comment (not its replies). */
const own = (doc: Document, id: number, selectors: string) =>
  doc.querySelectorAll(selectors.split(',').map((s) => `#comment-${id} > article ${s.trim()}`).join(', ')).length;

describe('the comment markup', () => {
  it('nests replies under their parents and lists them flat past the depth cap', () => {
    const rows: ThreadRow[] = [row({ id: 1 })];
    for (let d = 1; d <= MAX_DISPLAY_DEPTH + 2; d++) rows.push(row({ id: 1 + d, parentId: d, rootId: 1, depth: d, createdAt: 1000 + d }));
    const doc = render(rows);
    expect(doc.querySelector('#comment-1 > ol.replies > #comment-2 > ol.replies > #comment-3')).not.toBeNull();
    const deepest = doc.querySelector(`#comment-${rows.length}`)!;
    expect(deepest.getAttribute('data-depth')).toBe(String(MAX_DISPLAY_DEPTH));
    expect(deepest.parentElement!.className).toBe('replies replies-flat');
    expect(deepest.querySelector('.replying-to')!.textContent).toBe('replying to @ada');
    expect(doc.querySelectorAll('li.comment').length).toBe(rows.length);
  });

  it('gives each comment its author link, time, body and permalink', () => {
    const doc = render([row({ id: 7, authorUsername: 'zoë x', authorName: 'Zoë', bodyHtml: '<p>Hi <em>there</em></p>', createdAt: NOW - 3 * 3_600_000, editedAt: NOW - 3_600_000 })]);
    const li = doc.querySelector('#comment-7')!;
    expect(li.getAttribute('tabindex')).toBe('-1');
    expect(li.querySelector('article')!.getAttribute('aria-label')).toBe('Comment by Zoë');
    expect(li.querySelector('a.comment-author')!.getAttribute('href')).toBe('/u/zo%C3%AB%20x');
    expect(li.querySelector('a.comment-permalink')!.getAttribute('href')).toBe('#comment-7');
    const time = li.querySelector('time')!;
    expect(time.textContent).toBe('3 hours ago');
    expect(time.getAttribute('datetime')).toBe(new Date(NOW - 3 * 3_600_000).toISOString());
    expect(time.getAttribute('title')).toBe('22 November 2026, 09:00 UTC');
    expect(li.querySelector('.comment-edited')!.textContent).toBe('edited');
    expect(li.querySelector('.comment-body')!.innerHTML).toBe('<p>Hi <em>there</em></p>');
  });

  it('escapes names in text and attributes', () => {
    const name = '"><img src=x onerror=alert(1)>';
    const doc = render([row({ id: 3, authorName: name, authorUsername: 'evil"name' })]);
    expect(doc.querySelectorAll('img').length).toBe(0);
    expect(doc.querySelector('a.comment-author')!.textContent).toBe(name);
    expect(doc.querySelector('article')!.getAttribute('aria-label')).toBe(`Comment by ${name}`);
  });

  it('shows signed-out readers the like count but no controls', () => {
    const doc = render([row({ id: 1, likeCount: 3 })]);
    expect(doc.querySelector('#comment-1 .like-count')!.textContent).toBe('Liked by 3 people');
    expect(own(doc, 1, 'form, a.comment-reply, a.comment-edit, a.comment-delete, a.flag-link')).toBe(0);
  });

  it('gives another reader like, reply and flag; the author edit (within the window) and delete, and no like', () => {
    const rows = [row({ id: 1, authorId: 'u1', createdAt: NOW - 60_000, likeCount: 1, liked: false }), row({ id: 2, authorId: 'u1', createdAt: NOW - 3_600_000 })];
    const asBob = render(rows, { reader: bob, flagged: new Set([2]) });
    const like = asBob.querySelector('#comment-1 button.like-button')!;
    expect(like.getAttribute('aria-pressed')).toBe('false');
    expect(like.getAttribute('aria-describedby')).toBe('likes-1');
    expect(asBob.querySelector('#comment-1 form[data-like-form]')!.getAttribute('action')).toBe('/comments/1/like');
    expect(asBob.querySelector('#comment-1 a.comment-reply')!.getAttribute('href')).toBe('/comments/new?essay=an%20essay&parent=1');
    expect(own(asBob, 1, 'a.flag-link')).toBe(1);
    expect(own(asBob, 2, '.flag-done')).toBe(1);
    expect(own(asBob, 1, 'a.comment-edit, a.comment-delete')).toBe(0);

    const asAda = render(rows, { reader: ada });
    expect(own(asAda, 1, 'button.like-button, a.flag-link')).toBe(0);
    expect(own(asAda, 1, 'a.comment-edit')).toBe(1);
    expect(own(asAda, 2, 'a.comment-edit')).toBe(0);
    expect(own(asAda, 2, 'a.comment-delete')).toBe(1);
    expect(asAda.querySelector('#comment-1')!.className).toBe('comment comment-comment comment-own');
  });

  it('takes the taking-part controls away in a closed discussion and from a banned reader', () => {
    const rows = [row({ id: 1, authorId: 'u1' })];
    for (const ctx of [{ reader: bob, closed: true }, { reader: suspended(bob, NOW) }]) {
      const doc = render(rows, ctx);
      expect(own(doc, 1, 'button.like-button, a.comment-reply')).toBe(0);
    }
    expect(own(render(rows, { reader: suspended(bob, NOW) }), 1, 'a.flag-link')).toBe(0);
  });

  it('keeps a removed or deleted comment with replies as a placeholder', () => {
    const rows = [
      row({ id: 1, status: 'hidden', moderationReason: 'abuse' }),
      row({ id: 2, parentId: 1, rootId: 1, depth: 1 }),
      row({ id: 3, status: 'deleted' }),
      row({ id: 4, parentId: 3, rootId: 3, depth: 1 }),
    ];
    const doc = render(rows);
    expect(doc.querySelector('#comment-1 > article .comment-placeholder')!.textContent).toBe('[removed by a moderator: abuse]');
    expect(doc.querySelector('#comment-1 > article')!.getAttribute('aria-label')).toBe('Removed comment');
    expect(doc.querySelector('#comment-3 > article .comment-placeholder')!.textContent).toBe('[deleted]');
    expect(doc.querySelector('#comment-3 > ol.replies > #comment-4')).not.toBeNull();
  });

  it('marks a held comment for its author and gives moderators approve, hide and pin', () => {
    const rows = [row({ id: 1, authorId: 'u1', status: 'pending' }), row({ id: 2, authorId: 'u2' }), row({ id: 3, parentId: 2, rootId: 2, depth: 1, authorId: 'u2' })];
    expect(render(rows, { reader: ada }).querySelector('#comment-1 .comment-pending')!.textContent).toBe('Awaiting moderation: only you can see this.');
    expect(render(rows, { reader: bob }).querySelector('#comment-1')).toBeNull();
    expect(render(rows, { reader: ada }).querySelectorAll('.admin-controls').length).toBe(0);

    const doc = render(rows, { reader: admin, pinnedId: 2 });
    expect(doc.querySelector('#comment-1 .comment-pending')!.textContent).toBe('Held for review: only moderators can see this.');
    const buttons = (id: number) => [...doc.querySelectorAll(`#comment-${id} > article .admin-controls button`)].map((b) => b.textContent);
    expect(buttons(1)).toEqual(['Approve', 'Hide']);
    expect(buttons(2)).toEqual(['Hide', 'Unpin']);
    expect(buttons(3)).toEqual(['Hide']);
    const hide = doc.querySelector('#comment-2 > article .admin-controls form:nth-of-type(1)')!;
    expect(hide.querySelector('input[name=return]')!.getAttribute('value')).toBe('/essays/an essay/#comment-2');
    expect(hide.querySelector('label')!.getAttribute('for')).toBe(hide.querySelector('select')!.id);
    expect([...hide.querySelectorAll('option')].map((o) => o.getAttribute('value'))).toEqual(['spam', 'abuse', 'off-topic', 'other']);
    expect(doc.querySelector('#comment-3 > article .admin-controls a')!.getAttribute('href')).toBe('/admin/comments/3');
  });

  it('links to the next page keeping the sort', () => {
    const doc = render([row({ id: 1 })], {}, { hasMore: true, sort: 'liked' });
    expect(doc.querySelector('[data-show-more] a')!.getAttribute('href')).toBe('/discussion/an%20essay/?page=2&sort=liked');
    expect(render([row({ id: 1 })]).querySelector('[data-show-more]')).toBeNull();
  });

  it('renders one comment on its own, and a like button pressed or not', () => {
    const [node] = buildThreads([row({ id: 5 })], { sort: 'oldest', reader: SIGNED_OUT });
    expect(dom(commentHtml(node!, { essay: 'e', reader: SIGNED_OUT, closed: false, now: NOW }).markup).querySelector('li#comment-5')).not.toBeNull();
    const pressed = dom(likeButtonHtml({ commentId: 5, liked: true, likeCount: 1234, canLike: true }).markup);
    const button = pressed.querySelector('form[data-like-form] > button')!;
    expect(button.getAttribute('aria-pressed')).toBe('true');
    // The button posts the state wanted as its own name and value (a submit button's, sent with the form).
    expect([button.getAttribute('name'), button.getAttribute('value'), button.getAttribute('type')]).toEqual(['liked', '0', null]);
    expect(button.textContent).toBe('Like');
    expect(dom(likeButtonHtml({ commentId: 5, liked: false, likeCount: 0, canLike: true }).markup).querySelector('button')!.getAttribute('value')).toBe('1');
    expect(pressed.querySelector('.like-count')!.textContent).toBe('Liked by 1,234 people');
    expect(likeButtonHtml({ commentId: 5, liked: false, likeCount: 0, canLike: false }).markup).toBe('');
  });
});
