// Progressive enhancement of the discussion. Every control is a link or a form that works
// without this script; with it, actions are sent with fetch and the server's rendered HTML
// fragment replaces the part that changed. Listeners are delegated on the document, so
// threads loaded later ("Show more", a new sort) need nothing of their own.
import './live-client.ts';

const FRAGMENT_HEADERS = { 'X-Discussion-Fragment': '1' };

function parse(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** A form's fields, URL-encoded as a browser without this script would send them (with the submit button's own name and value). */
function encode(form: HTMLFormElement, submitter?: HTMLButtonElement): URLSearchParams {
  return new URLSearchParams(new FormData(form, submitter) as unknown as Record<string, string>);
}

async function send(url: string, init: RequestInit = {}): Promise<{ response: Response; html: DocumentFragment }> {
  const response = await fetch(url, { ...init, headers: FRAGMENT_HEADERS, credentials: 'same-origin' });
  return { response, html: parse(await response.text()) };
}

function rootOf(el: Element): HTMLElement | null {
  return el.closest<HTMLElement>('[data-discussion]');
}

function announce(el: Element, text: string): void {
  const live = rootOf(el)?.querySelector('[data-live]') ?? document.querySelector('[data-live]');
  if (!live) return;
  live.textContent = '';
  // A fresh text node after a tick is what screen readers reliably announce.
  setTimeout(() => (live.textContent = text), 50);
}

function showError(anchor: Element, html: DocumentFragment, fallback: string): void {
  const message = html.querySelector('.form-error')?.textContent?.trim() || fallback;
  let note = anchor.querySelector<HTMLElement>(':scope > .form-error');
  if (!note) {
    note = document.createElement('p');
    note.className = 'form-error';
    note.setAttribute('role', 'alert');
    anchor.prepend(note);
  }
  note.textContent = message;
  announce(anchor, message);
}

function updateCount(root: HTMLElement | null, response: Response): void {
  const count = response.headers.get('X-Comment-Count');
  const target = root?.querySelector('[data-comment-count]');
  if (count !== null && target) target.textContent = count === '1' ? '1 comment' : `${Number(count).toLocaleString('en')} comments`;
  // The margin's passage counts follow (passages/passage-client.ts listens, as it does to the live summary).
  document.dispatchEvent(new CustomEvent('discussion:summary', { detail: { count: Number(count), passages: response.headers.get('X-Passage-Counts') } }));
}

function highlight(li: HTMLElement): void {
  document.querySelectorAll('.comment.is-target').forEach((el) => el.classList.remove('is-target'));
  li.classList.add('is-target');
  li.scrollIntoView({ block: 'center' });
  li.focus({ preventScroll: true });
}

/** Where a reply goes: the reply list of the comment the server names (created if missing). */
function listFor(root: HTMLElement, owner: string | null): HTMLElement | null {
  if (!owner) return root.querySelector('[data-threads]');
  const li = document.getElementById(`comment-${owner}`);
  if (!li) return null;
  let list = li.querySelector<HTMLElement>(':scope > ol.replies');
  if (!list) {
    list = document.createElement('ol');
    list.className = Number(li.dataset.depth) >= 5 ? 'replies replies-flat' : 'replies';
    li.append(list);
  }
  return list;
}

// ---- posting and editing -------------------------------------------------------------------

async function submitCommentForm(form: HTMLFormElement): Promise<void> {
  const button = form.querySelector('button[type=submit]') as HTMLButtonElement | null;
  if (button?.disabled) return;
  if (button) button.disabled = true;
  const root = rootOf(form);
  try {
    const { response, html } = await send(form.action, { method: 'POST', body: encode(form) });
    const li = html.querySelector<HTMLElement>('li.comment');
    if (!response.ok || !li) {
      const fresh = html.querySelector<HTMLFormElement>('form[data-comment-form]');
      if (fresh && !response.ok) {
        // The server's form carries the reader's text and the reason: swap it in.
        const cancel = form.querySelector('[data-cancel]');
        const original = openedWith.get(form);
        if (original !== undefined) openedWith.set(fresh, original);
        form.replaceWith(fresh);
        if (cancel && !fresh.querySelector('[data-cancel]')) fresh.querySelector('.form-actions')?.append(cancel);
        fresh.querySelector('textarea')?.focus();
        announce(fresh, fresh.querySelector('.form-error')?.textContent ?? 'The comment was not posted.');
      } else {
        showError(form, html, 'Something went wrong; your text is still here.');
      }
      return;
    }
    if (form.dataset.mode === 'edit') {
      form.closest('li.comment')?.replaceWith(li);
      announce(li, 'Your comment was saved.');
    } else {
      const list = root && listFor(root, response.headers.get('X-List-Owner'));
      if (!list) return location.assign(response.headers.get('X-Location') ?? location.href);
      document.getElementById(li.id)?.remove(); // a resubmitted duplicate: show it once
      const newestFirst = !response.headers.get('X-List-Owner') && root?.querySelector('a[data-sort="newest"][aria-current]');
      if (newestFirst) list.prepend(li);
      else list.append(li);
      updateCount(root, response);
      if (form.dataset.mode === 'reply') form.remove();
      else form.reset();
      announce(li, 'Your comment was posted.');
    }
    li.focus();
  } catch {
    showError(form, parse(''), 'The network failed; your text is still here. Try again.');
  } finally {
    if (button) button.disabled = false;
  }
}

function openReply(link: HTMLAnchorElement): void {
  const li = link.closest<HTMLElement>('li.comment');
  const root = rootOf(link);
  const template = root?.querySelector<HTMLTemplateElement>('template[data-reply-template]');
  if (!li || !template) return;
  const existing = li.querySelector<HTMLFormElement>(':scope > article > form[data-mode=reply]');
  if (existing) return existing.querySelector('textarea')?.focus();
  const form = template.content.firstElementChild!.cloneNode(true) as HTMLFormElement;
  const id = li.dataset.commentId!;
  (form.querySelector('input[name=parent]') as HTMLInputElement).value = id;
  for (const el of form.querySelectorAll<HTMLElement>('[id]')) el.id = el.id.replace('reply-0', `reply-${id}`);
  form.querySelector('label')!.htmlFor = `reply-${id}-body`;
  form.querySelector('textarea')!.setAttribute('aria-describedby', `reply-${id}-hint`);
  li.querySelector(':scope > article')!.append(form);
  form.querySelector('textarea')!.focus();
}

async function openEdit(link: HTMLAnchorElement): Promise<void> {
  const li = link.closest<HTMLElement>('li.comment');
  const body = li?.querySelector<HTMLElement>(':scope > article > .comment-body');
  if (!li || !body || li.querySelector(':scope > article > form[data-mode=edit]')) return;
  const { response, html } = await send(link.href);
  const form = html.querySelector<HTMLFormElement>('form[data-comment-form]');
  if (!response.ok || !form) return showError(li.querySelector('article')!, html, 'This comment can no longer be edited.');
  body.hidden = true;
  body.after(form);
  openedWith.set(form, form.querySelector('textarea')?.value ?? '');
  form.querySelector('textarea')?.focus();
}

/** The text an edit form opened with: Escape closes a form only while it holds nothing the reader wrote. */
const openedWith = new WeakMap<HTMLFormElement, string>();

/** Closes a reply or edit form under a comment; focus goes back to the link that opened it (or the comment). */
function closeForm(form: HTMLFormElement): void {
  const article = form.closest('article');
  const body = article?.querySelector<HTMLElement>(':scope > .comment-body');
  if (body) body.hidden = false;
  const opener = article?.querySelector<HTMLElement>(`:scope > footer ${form.dataset.mode === 'edit' ? 'a[data-edit]' : 'a[data-reply]'}`);
  form.remove();
  (opener ?? article?.closest<HTMLElement>('li.comment'))?.focus();
}

function cancel(link: HTMLElement): void {
  const form = link.closest<HTMLFormElement>('form[data-comment-form]');
  if (form) closeForm(form);
}

/** Escape in a form opened under a comment closes it, unless the reader has written in it (Cancel does that). */
function escapeForm(event: KeyboardEvent): void {
  const form = (event.target as Element | null)?.closest<HTMLFormElement>('li.comment form[data-comment-form]');
  const box = form?.querySelector('textarea');
  if (!form || !box) return;
  event.preventDefault();
  if (box.value.trim() === '' || box.value === openedWith.get(form)) closeForm(form);
  else announce(form, 'Your text is kept. Choose Cancel to close the form without it.');
}

async function deleteComment(link: HTMLAnchorElement): Promise<void> {
  const li = link.closest<HTMLElement>('li.comment');
  if (!li || !confirm('Delete this comment? This cannot be undone.')) return;
  const root = rootOf(li);
  const { response, html } = await send(link.href, { method: 'POST', body: new URLSearchParams() });
  if (!response.ok) return showError(li.querySelector('article')!, html, 'The comment was not deleted.');
  const threadId = response.headers.get('X-Thread-Root');
  const thread = threadId ? document.getElementById(`comment-${threadId}`) : null;
  const fresh = html.querySelector<HTMLElement>('li.comment');
  if (thread && fresh) thread.replaceWith(fresh);
  else thread?.remove();
  updateCount(root, response);
  if (root) announce(root, 'Your comment was deleted.');
}

// ---- likes -------------------------------------------------------------------------------

async function submitLike(form: HTMLFormElement): Promise<void> {
  const button = form.querySelector('button') as HTMLButtonElement;
  if (button.disabled) return;
  // The button says the state wanted (name="liked" value="1" or "0"); read before it is disabled,
  // since a disabled button sends nothing.
  const body = encode(form, button);
  button.disabled = true;
  try {
    const { response, html } = await send(form.action, { method: 'POST', body });
    const fresh = html.querySelector<HTMLFormElement>('form[data-like-form]');
    if (!response.ok || !fresh) return showError(form.closest('article')!, html, 'The like was not saved.');
    form.replaceWith(fresh);
    const freshButton = fresh.querySelector('button')!;
    freshButton.focus();
    const count = fresh.querySelector('.like-count')?.textContent ?? 'No likes';
    announce(fresh, `${freshButton.getAttribute('aria-pressed') === 'true' ? 'Liked' : 'Like removed'}. ${count}.`);
  } catch {
    button.disabled = false;
  }
}

// ---- pages, sorting, permalinks ------------------------------------------------------------

async function loadMore(link: HTMLAnchorElement): Promise<number> {
  const holder = link.closest<HTMLElement>('[data-show-more]')!;
  const root = rootOf(holder);
  const list = root?.querySelector<HTMLElement>('[data-threads]');
  const { response, html } = await send(link.href);
  const incoming = html.querySelector('[data-threads]');
  if (!response.ok || !list || !incoming) {
    location.assign(link.href);
    return 0;
  }
  const added = [...incoming.children] as HTMLElement[];
  for (const li of added) if (!document.getElementById(li.id)) list.append(li);
  const next = html.querySelector('[data-show-more]');
  if (next) holder.replaceWith(next);
  else holder.remove();
  if (added[0]) added[0].focus();
  announce(list, `${added.length} more thread${added.length === 1 ? '' : 's'} loaded.`);
  return added.length;
}

async function changeSort(link: HTMLAnchorElement): Promise<void> {
  const root = rootOf(link)!;
  const { response, html } = await send(link.href);
  const incoming = html.querySelector('[data-threads]');
  const list = root.querySelector('[data-threads]');
  if (!response.ok || !incoming || !list) return location.assign(link.href);
  list.replaceWith(incoming);
  root.querySelector('[data-show-more]')?.remove();
  const more = html.querySelector('[data-show-more]');
  if (more) incoming.after(more);
  for (const a of root.querySelectorAll<HTMLAnchorElement>('a[data-sort]')) {
    if (a === link) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
  announce(root, `Comments sorted: ${link.textContent?.trim()}.`);
}

/** A #comment-N address: highlight it, loading later pages first when it sits on one. */
async function revealTarget(): Promise<void> {
  const match = /^#comment-(\d+)$/.exec(location.hash);
  if (!match) return;
  let li = document.getElementById(`comment-${match[1]}`);
  if (!li) {
    const { response } = await send(`/comments/${match[1]}`);
    const page = Number(response.headers.get('X-Comment-Page'));
    // Sort by oldest (permalinks use it) and load pages until the one that holds the comment.
    for (let guard = 0; !li && guard < 200; guard++) {
      const more = document.querySelector<HTMLAnchorElement>('[data-show-more] a');
      const loaded = Number(document.querySelector<HTMLElement>('[data-threads]')?.dataset.page ?? 1) + guard;
      if (!more || !response.ok || loaded >= page) break;
      if ((await loadMore(more)) === 0) break;
      li = document.getElementById(`comment-${match[1]}`);
    }
  }
  if (li) highlight(li);
}

document.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  const link = target?.closest<HTMLAnchorElement>('a');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (!link.closest('[data-discussion], .comment-form')) return;
  const act = (fn: () => unknown) => {
    event.preventDefault();
    void fn();
  };
  if (link.matches('[data-reply]')) act(() => openReply(link));
  else if (link.matches('[data-edit]')) act(() => openEdit(link));
  else if (link.matches('[data-delete]')) act(() => deleteComment(link));
  else if (link.matches('[data-cancel]') && link.closest('li.comment')) act(() => cancel(link));
  else if (link.matches('[data-show-more] a')) act(() => loadMore(link));
  else if (link.matches('a[data-sort]')) act(() => changeSort(link));
});

document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if (!form.closest('[data-discussion]')) return;
  if (form.matches('[data-like-form]')) {
    event.preventDefault();
    void submitLike(form);
  } else if (form.matches('[data-comment-form]')) {
    event.preventDefault();
    void submitCommentForm(form);
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !event.defaultPrevented) escapeForm(event);
});

window.addEventListener('hashchange', () => void revealTarget());
void revealTarget();
// From here on links and forms in the discussion work in place; a click that comes sooner
// follows its href to the pages that work without script. Browser tests wait for this mark.
document.documentElement.dataset.discussionEnhanced = '';
