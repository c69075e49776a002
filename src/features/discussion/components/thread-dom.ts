// What the discussion's two scripts (discussion-client.ts, live-client.ts) both look for in the
// thread and both do to it, written once: the essay page's JavaScript has a budget
// (passages/README.md).
import { $, byId, make, SUMMARY } from '../../../lib/dom.ts';

// Only constants used outside conditions: an imported one in a condition (`a && $(X)`) is written
// out there by the bundler, once more for each use.
export const ARTICLE = ':scope > article';
export const FORM = 'form[data-comment-form]';
export const THREADS = '[data-threads]';
export const MORE = '[data-show-more]';

/** A comment's element (its li), by the comment's id. */
export const commentLi = (id: number | string) => byId(`comment-${id}`);

/** A part of a comment's own article (not of its replies'): `> footer`, `> .comment-body`… */
export const own = (li: Element | null, selector: string) => $(`${ARTICLE} ${selector}`, li);


/** A comment's list of replies, made when it has none yet (flat from the fifth level down, as the server renders it). */
export const repliesOf = (li: HTMLElement) =>
  $(':scope > ol.replies', li) ?? li.appendChild(make('ol', { className: Number(li.dataset.depth) >= 5 ? 'replies replies-flat' : 'replies' }));

/** Adds a comment to its list: last, or first when it starts a thread while the sort is "Newest". */
export function addComment(list: HTMLElement, li: HTMLElement, thread: boolean, root: HTMLElement | null): void {
  if (thread && $('a[data-sort="newest"][aria-current]', root)) list.prepend(li);
  else list.append(li);
}

/**
 * What changed in the discussion's counts, for whatever follows them: the count above the threads
 * and its copy in the essay's header (discussion-client.ts), the margin's passage counts
 * (passages/passage-client.ts). `count` is a number, or its digits as a response header gave them.
 */
export interface Summary {
  count?: number | string | null;
  passages?: string | null;
}

export const summarize = (detail: Summary) => document.dispatchEvent(new CustomEvent(SUMMARY, { detail }));

/** The count's words come from the server ("Liked by 2 people", or none), as the thread writes them. */
export function setLikes(li: HTMLElement, text: string): void {
  const footer = own(li, '> footer');
  if (!footer) return;
  const button = $('.like-button', footer);
  let label = $('.like-count', footer);
  if (!text) {
    label?.remove();
    button?.removeAttribute('aria-describedby');
    return;
  }
  if (!label) {
    label = make('span', { className: button ? 'like-count' : 'like-count like-form' });
    if (button) {
      label.id = `likes-${li.dataset.commentId}`;
      button.setAttribute('aria-describedby', label.id);
      button.after(label);
    } else footer.prepend(label);
  }
  label.textContent = text;
}

/**
 * Puts in place the reader's own parts of the threads, which the island sends apart from the
 * threads it shares with other readers (comment-html.ts, readerPartsHtml): each comment's class,
 * its "new" mark and its footer.
 */
export function applyMine(): void {
  for (const mine of $<HTMLTemplateElement>('template[data-mine]')?.content.children ?? []) {
    const li = byId(mine.id);
    if (!li) continue;
    li.className = mine.className;
    const mark = $('.comment-new-mark', mine);
    const footer = $('footer', mine);
    if (mark) li.prepend(mark);
    if (footer) own(li, '> footer')!.replaceWith(footer);
  }
}

/**
 * Draws the controls of the comments the island sent compact (`data-acts`, a letter a control,
 * comment-html.ts) from the island's templates of them, and their like counts as setLikes writes
 * them: the same markup as the discussion pages write out.
 */
export function drawControls(): void {
  for (const footer of document.querySelectorAll<HTMLElement>('[data-acts]')) {
    const li = footer.closest('li')!;
    const text = footer.textContent!;
    footer.innerHTML = [...footer.dataset.acts!].map((a) => $(`[data-control=${a}]`)!.innerHTML).join('').replaceAll('{id}', li.dataset.commentId!);
    footer.removeAttribute('data-acts');
    setLikes(li, text);
  }
}
