// Progressive enhancement of the discussion. Every control is a link or a form that works
// without this script; with it, actions are sent with fetch and the server's rendered HTML
// fragment replaces the part that changed. Listeners are delegated on the document, so
// threads loaded later ("Show more", a new sort) need nothing of their own.
// Written for size (the essay page's JavaScript has a budget, passages/README.md): selectors used
// more than once are named once (those live-client.ts uses too in thread-dom.ts), and queries go
// through `$`.
import { $, byId, DISCUSSION, make, on, parse, plainClick, SUMMARY } from '../../../lib/dom.ts';
import { commentCount } from '../../passages/margin-rules.ts';
import './live-client.ts';
import { addComment, applyMine, ARTICLE, commentLi, drawControls, FORM, MORE, repliesOf, summarize, THREADS, type Summary } from './thread-dom.ts';

const COMMENT = 'li.comment';
const ERROR = '.form-error';
const LIVE = '[data-live]';
const COUNT = '[data-comment-count]';
const CANCEL = '[data-cancel]';

const rootOf = (el: Element) => el.closest<HTMLElement>(DISCUSSION);
const focusBox = (form: ParentNode | null) => $('textarea', form)?.focus();

/** A form's fields, URL-encoded as a browser without this script would send them (with the submit button's own name and value). */
const encode = (form: HTMLFormElement, submitter?: HTMLButtonElement) => new URLSearchParams(new FormData(form, submitter) as unknown as Record<string, string>);

/** Asks for the server's fragment: a GET, or a POST of `body`. */
async function send(url: string, body?: URLSearchParams): Promise<[Response, DocumentFragment]> {
  const response = await fetch(url, { method: body && 'POST', body, headers: { 'X-Discussion-Fragment': '1' } });
  return [response, parse(await response.text())];
}

function announce(el: Element, text: string): void {
  const live = $(LIVE, rootOf(el)) ?? $(LIVE);
  if (!live) return;
  live.textContent = '';
  // A fresh text node after a tick is what screen readers reliably announce.
  setTimeout(() => (live.textContent = text), 50);
}

function showError(anchor: Element, html: ParentNode | null, fallback: string): void {
  const message = $(ERROR, html)?.textContent?.trim() || fallback;
  const note = $(`:scope > ${ERROR}`, anchor) ?? anchor.insertBefore(make('p', { className: 'form-error' }), anchor.firstChild);
  note.setAttribute('role', 'alert');
  note.textContent = message;
  announce(anchor, message);
}

/** The counts after a post or a delete, as the server's headers give them: handed on as the live summary is (`showCount` below, the margin's passage counts). */
const updateCount = (response: Response) => summarize({ count: response.headers.get('X-Comment-Count'), passages: response.headers.get('X-Passage-Counts') });

/** Where a reply goes: the reply list of the comment the server names (created if missing). */
function listFor(root: HTMLElement, owner: string | null): HTMLElement | null {
  if (!owner) return $(THREADS, root);
  const li = commentLi(owner);
  return li && repliesOf(li);
}

// ---- posting and editing -------------------------------------------------------------------

async function submitCommentForm(form: HTMLFormElement): Promise<void> {
  const button = $<HTMLButtonElement>('button[type=submit]', form);
  if (button?.disabled) return;
  if (button) button.disabled = true;
  const root = rootOf(form);
  try {
    const [response, html] = await send(form.action, encode(form));
    const owner = response.headers.get('X-List-Owner');
    const li = $(COMMENT, html);
    if (!response.ok || !li) {
      const fresh = $<HTMLFormElement>(FORM, html);
      if (fresh && !response.ok) {
        // The server's form carries the reader's text and the reason: swap it in.
        const cancel = $(CANCEL, form);
        const original = openedWith.get(form);
        if (original !== undefined) openedWith.set(fresh, original);
        form.replaceWith(fresh);
        if (cancel && !$(CANCEL, fresh)) $('.form-actions', fresh)?.append(cancel);
        focusBox(fresh);
        announce(fresh, $(ERROR, fresh)?.textContent ?? 'The comment was not posted.');
      } else showError(form, html, 'Something went wrong; your text is still here.');
      return;
    }
    if (form.dataset.mode === 'edit') {
      form.closest(COMMENT)?.replaceWith(li);
      announce(li, 'Your comment was saved.');
    } else {
      const list = root && listFor(root, owner);
      if (!list) return location.assign(response.headers.get('X-Location') ?? location.href);
      byId(li.id)?.remove(); // a resubmitted duplicate: show it once
      addComment(list, li, !owner, root);
      updateCount(response);
      if (form.dataset.mode === 'reply') form.remove();
      else form.reset();
      announce(li, 'Your comment was posted.');
    }
    li.focus();
  } catch {
    showError(form, null, 'The network failed; your text is still here. Try again.');
  } finally {
    if (button) button.disabled = false;
  }
}

function openReply(link: HTMLAnchorElement): void {
  const li = link.closest<HTMLElement>(COMMENT);
  const template = $<HTMLTemplateElement>('template[data-reply-template]', rootOf(link));
  if (!li || !template) return;
  const existing = $(`${ARTICLE} > form[data-mode=reply]`, li);
  if (existing) return focusBox(existing);
  const form = template.content.firstElementChild!.cloneNode(true) as HTMLFormElement;
  const id = `reply-${li.dataset.commentId}`;
  $<HTMLInputElement>('input[name=parent]', form)!.value = li.dataset.commentId!;
  for (const el of form.querySelectorAll('[id]')) el.id = el.id.replace('reply-0', id);
  $<HTMLLabelElement>('label', form)!.htmlFor = `${id}-body`;
  $('textarea', form)!.setAttribute('aria-describedby', `${id}-hint`);
  $(ARTICLE, li)!.append(form);
  focusBox(form);
}

async function openEdit(link: HTMLAnchorElement): Promise<void> {
  const li = link.closest<HTMLElement>(COMMENT);
  const body = $(`${ARTICLE} > .comment-body`, li);
  if (!li || !body || $(`${ARTICLE} > form[data-mode=edit]`, li)) return;
  const [response, html] = await send(link.href);
  const form = $<HTMLFormElement>(FORM, html);
  if (!response.ok || !form) return showError($('article', li)!, html, 'This comment can no longer be edited.');
  body.hidden = true;
  body.after(form);
  openedWith.set(form, $<HTMLTextAreaElement>('textarea', form)?.value ?? '');
  focusBox(form);
}

/** The text an edit form opened with: Escape closes a form only while it holds nothing the reader wrote. */
const openedWith = new WeakMap<HTMLFormElement, string>();

/** Closes a reply or edit form under a comment; focus goes back to the link that opened it (or the comment). */
function closeForm(form: HTMLFormElement | null): void {
  if (!form) return;
  const article = form.closest('article');
  const body = $(':scope > .comment-body', article);
  if (body) body.hidden = false;
  const opener = $(`:scope > footer a[data-${form.dataset.mode === 'edit' ? 'edit' : 'reply'}]`, article);
  form.remove();
  (opener ?? article?.closest<HTMLElement>(COMMENT))?.focus();
}

/** Escape in a form opened under a comment closes it, unless the reader has written in it (Cancel does that). */
function escapeForm(event: KeyboardEvent): void {
  const form = (event.target as Element | null)?.closest<HTMLFormElement>(`${COMMENT} ${FORM}`);
  const box = $<HTMLTextAreaElement>('textarea', form);
  if (!form || !box) return;
  event.preventDefault();
  if (box.value.trim() === '' || box.value === openedWith.get(form)) closeForm(form);
  else announce(form, 'Your text is kept. Choose Cancel to close the form without it.');
}

async function deleteComment(link: HTMLAnchorElement): Promise<void> {
  const li = link.closest<HTMLElement>(COMMENT);
  if (!li || !confirm('Delete this comment? This cannot be undone.')) return;
  const root = rootOf(li);
  const [response, html] = await send(link.href, new URLSearchParams());
  if (!response.ok) return showError($('article', li)!, html, 'The comment was not deleted.');
  const threadId = response.headers.get('X-Thread-Root');
  const thread = threadId ? commentLi(threadId) : null;
  const fresh = $(COMMENT, html);
  if (thread && fresh) thread.replaceWith(fresh);
  else thread?.remove();
  updateCount(response);
  if (root) announce(root, 'Your comment was deleted.');
}

// ---- likes -------------------------------------------------------------------------------

async function submitLike(form: HTMLFormElement): Promise<void> {
  const button = $<HTMLButtonElement>('button', form)!;
  if (button.disabled) return;
  // The button says the state wanted (name="liked" value="1" or "0"); read before it is disabled,
  // since a disabled button sends nothing.
  const body = encode(form, button);
  button.disabled = true;
  try {
    const [response, html] = await send(form.action, body);
    const fresh = $<HTMLFormElement>('form[data-like-form]', html);
    if (!response.ok || !fresh) return showError(form.closest('article')!, html, 'The like was not saved.');
    form.replaceWith(fresh);
    const freshButton = $('button', fresh)!;
    freshButton.focus();
    announce(fresh, `${freshButton.getAttribute('aria-pressed') === 'true' ? 'Liked' : 'Like removed'}. ${$('.like-count', fresh)?.textContent ?? 'No likes'}.`);
  } catch {
    button.disabled = false;
  }
}

// ---- pages, sorting, permalinks ------------------------------------------------------------

/** "Show more" adds the next page's threads; a sort replaces them. Either way the fragment's "Show more" follows them. */
async function loadThreads(link: HTMLAnchorElement, sort = false): Promise<number> {
  const root = rootOf(link)!;
  const list = $(THREADS, root);
  const [response, html] = await send(link.href);
  const incoming = $(THREADS, html);
  if (!response.ok || !list || !incoming) {
    location.assign(link.href);
    return 0;
  }
  const added = [...incoming.children] as HTMLElement[];
  if (sort) list.replaceWith(incoming);
  else for (const li of added) if (!byId(li.id)) list.append(li);
  $(MORE, root)?.remove();
  const more = $(MORE, html);
  if (more) (sort ? incoming : list).after(more);
  if (sort) {
    for (const a of root.querySelectorAll('a[data-sort]')) {
      if (a === link) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    }
    announce(root, `Comments sorted: ${link.textContent?.trim()}.`);
  } else {
    added[0]?.focus();
    announce(root, `${added.length} more thread${added.length === 1 ? '' : 's'} loaded.`);
  }
  return added.length;
}

/** A #comment-N address: highlight it, loading later pages first when it sits on one. */
async function revealTarget(): Promise<void> {
  const id = /^#(comment-\d+)$/.exec(location.hash)?.[1];
  if (!id) return;
  let li = byId(id);
  if (!li) {
    const [response] = await send(`/comments/${id.slice(8)}`);
    const page = Number(response.headers.get('X-Comment-Page'));
    // Sort by oldest (permalinks use it) and load pages until the one that holds the comment.
    for (let guard = 0; !li && guard < 200; guard++) {
      const more = $<HTMLAnchorElement>(`${MORE} a`);
      const loaded = Number($(THREADS)?.dataset.page ?? 1) + guard;
      if (!more || !response.ok || loaded >= page) break;
      if ((await loadThreads(more)) === 0) break;
      li = byId(id);
    }
  }
  if (!li) return;
  for (const el of document.querySelectorAll('.comment.is-target')) el.classList.remove('is-target');
  li.classList.add('is-target');
  li.scrollIntoView({ block: 'center' });
  li.focus({ preventScroll: true });
}

on<MouseEvent>('click', (event) => {
  const link = (event.target as Element | null)?.closest<HTMLAnchorElement>('a');
  if (!link?.closest('[data-discussion], .comment-form') || !plainClick(event)) return;
  // What the link is for, by its data-* attribute (data-reply, data-edit, …; "Show more" is a link inside [data-show-more]).
  const is = link.dataset;
  const act =
    'reply' in is ? openReply
    : 'edit' in is ? openEdit
    : 'delete' in is ? deleteComment
    : 'cancel' in is && link.closest(COMMENT) ? () => closeForm(link.closest(FORM))
    : link.matches(`${MORE} a`) ? () => loadThreads(link)
    : 'sort' in is ? () => loadThreads(link, true)
    : null;
  if (!act) return;
  event.preventDefault();
  void act(link);
});

on('submit', (event) => {
  const form = event.target as HTMLFormElement;
  const act = !rootOf(form) ? null : 'likeForm' in form.dataset ? submitLike : 'commentForm' in form.dataset ? submitCommentForm : null;
  if (!act) return;
  event.preventDefault();
  void act(form);
});

on<KeyboardEvent>('keydown', (event) => {
  if (event.key === 'Escape' && !event.defaultPrevented) escapeForm(event);
});

/**
 * The discussion's count, set to `n` when given, and its copy in the essay's header
 * (CommentCountLink): now, and after every change (a post, a delete, the live summary).
 */
function showCount(n?: Summary['count']): void {
  const count = $(COUNT);
  if (!count) return;
  if (n != null) count.textContent = commentCount(Number(n));
  const link = $('[data-from-discussion]');
  if (link) link.textContent = count.textContent!.startsWith('0 ') ? 'No comments yet' : count.textContent;
}
applyMine();
drawControls();
on<CustomEvent<Summary | null>>(SUMMARY, (event) => showCount(event.detail?.count));
showCount();

addEventListener('hashchange', () => void revealTarget());
void revealTarget();
// From here on links and forms in the discussion work in place; a click that comes sooner
// follows its href to the pages that work without script. Browser tests wait for this mark.
document.documentElement.dataset.discussionEnhanced = '';
