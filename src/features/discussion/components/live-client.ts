// The live discussion in the page (features/discussion/live/): one EventSource per discussion,
// starting after the event the page was rendered at (data-live-since), resumed by the browser
// after a drop (Last-Event-ID). New comments are announced in a polite status line ("2 new
// comments: show them") and shown when the reader asks, or at once when the end of the thread is
// in view; showing them keeps the text on screen where it was; while the discussion is filtered to
// a passage, only what belongs there is offered. A half-written reply or edit is never touched.
// Edits, like counts, removals and a commenter's new name apply quietly; when the discussion is
// closed, reopened or its pin changes, the parts that follow from it (the comments' controls
// among them) are asked for again, as this reader's own page has them. Without EventSource nothing changes.
// It also moves focus between comments marked new since the reader's last visit ("Next new comment").
// Written for size, with the discussion's script (the essay page's JavaScript has a budget,
// passages/README.md): helpers and selectors they share are in lib/dom.ts and thread-dom.ts.
import { $, byId, DISCUSSION, make, on, parse } from '../../../lib/dom.ts';
import { addComment, ARTICLE, commentLi as find, FORM, MORE, own, repliesOf, setLikes, summarize, THREADS } from './thread-dom.ts';

interface Message {
  id: number;
  parent?: number | null;
  html?: string;
  count?: number;
  meta?: string;
  text?: string;
  passage?: string;
  href?: string;
  label?: string;
}

const element = (html: string) => parse(html).firstElementChild as HTMLElement | null;

/** Runs a change without moving what the reader is looking at: the element at the top of the window stays put. */
function keepInPlace(change: () => void): void {
  const anchor = document.elementFromPoint(innerWidth / 2, 2);
  const before = anchor?.getBoundingClientRect().top ?? 0;
  change();
  // At once: the page scrolls smoothly elsewhere, which here would show the text moving and coming back.
  if (anchor?.isConnected) scrollBy({ top: anchor.getBoundingClientRect().top - before, behavior: 'instant' });
}

/** Text the reader has typed into a form under this comment: it is never taken away. */
const hasDraft = (li: Element) => [...li.querySelectorAll<HTMLTextAreaElement>(`${ARTICLE} textarea`)].some((t) => t.value.trim() !== '');

const kindOf = (li: Element) => [...li.classList].filter((c) => c !== 'comment-new' && c !== 'is-target').join(' ');

/** A comment already on the page whose state changed (approved, removed with replies left, restored). */
function replaceComment(li: HTMLElement, fresh: HTMLElement): void {
  if (kindOf(li) === kindOf(fresh)) return;
  const article = $(ARTICLE, li);
  const next = $(ARTICLE, fresh);
  if (!article || !next) return;
  // Forms the reader opened under it move into the new rendering, as they are.
  for (const form of article.querySelectorAll<HTMLFormElement>(`:scope > ${FORM}`)) {
    next.append(form);
    const body = $(':scope > .comment-body', next);
    if (form.dataset.mode === 'edit' && body) body.hidden = true;
  }
  li.className = fresh.className + (li.classList.contains('comment-new') ? ' comment-new' : '');
  keepInPlace(() => article.replaceWith(next));
}

const newComments = (n: number) => (n === 1 ? '1 new comment' : `${n} new comments`);

function connect(root: HTMLElement): void {
  const base = `/discussion/${encodeURIComponent(root.dataset.essay!)}/`;
  const source = new EventSource(`${base}events?since=${root.dataset.liveSince}`);
  const waiting = new Map<number, HTMLElement>();
  const status = make('p', { className: 'live-notice' });
  status.setAttribute('role', 'status');
  $('.discussion-bar', root)?.after(status);
  const button = make('button', { type: 'button', onclick: () => show(true) });

  const threads = () => $(THREADS, root);
  /** The end of the thread is in view, and no later page waits behind "Show more". */
  const atEnd = () => !$(MORE, root) && (threads()?.getBoundingClientRect().bottom ?? 0) <= innerHeight + 40;

  function place(li: HTMLElement): boolean {
    if (byId(li.id)) return false;
    const parent = li.dataset.parent ? find(li.dataset.parent) : null;
    const list = parent ? repliesOf(parent) : threads();
    if (!list || (li.dataset.parent && !parent)) return false;
    li.classList.add('comment-new');
    li.prepend(make('strong', { className: 'comment-new-mark', textContent: 'New' }));
    addComment(list, li, !parent, root);
    return true;
  }

  function show(focus: boolean): void {
    const placed: HTMLElement[] = [];
    keepInPlace(() => {
      for (const li of waiting.values()) if (place(li)) placed.push(li);
    });
    waiting.clear();
    const n = placed.length;
    status.textContent = focus || !n ? '' : `${newComments(n)} added below.`;
    if (focus) placed[0]?.focus();
  }

  const when = (type: string, handle: (m: Message) => void) => source.addEventListener(type, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as Message));

  when('comment', (m) => {
    const fresh = element(m.html ?? '');
    const li = find(m.id);
    if (!fresh) return;
    if (li) return replaceComment(li, fresh);
    // Only a comment is news: a placeholder of one this page never showed is not.
    if (!/\bcomment-(?:comment|pending)\b/.test(fresh.className)) return;
    // Filtered to a passage ("On this passage" current), the list takes only a comment on that
    // passage; anywhere, a reply joins only a comment the page has.
    const filter = $<HTMLAnchorElement>('[data-sort=passage][aria-current]', root);
    if (m.parent ? !find(m.parent) && !waiting.has(m.parent) : filter && !filter.href.endsWith(`=${m.passage}`)) return;
    if (m.parent) fresh.dataset.parent = String(m.parent);
    waiting.set(m.id, fresh);
    if (atEnd()) return show(false);
    button.textContent = `${newComments(waiting.size)}: show them`;
    if (status.firstChild !== button) status.replaceChildren(button);
  });
  when('body', (m) => {
    const body = own(find(m.id), '> .comment-body');
    const meta = own(find(m.id), '> .comment-meta');
    if (!body) return;
    // The header as the thread now writes it: "edited", with its time.
    keepInPlace(() => {
      body.innerHTML = m.html ?? '';
      if (meta) meta.outerHTML = m.meta!;
    });
  });
  when('likes', (m) => {
    const li = find(m.id);
    if (li) setLikes(li, m.text ?? '');
  });
  when('removed', (m) => {
    waiting.delete(m.id);
    const li = find(m.id);
    if (!li) return;
    if (hasDraft(li) || $(':scope > ol > li', li)) {
      // What the reader is writing stays; the comment it answers says it is gone.
      const body = own(li, '> .comment-body');
      if (body) body.textContent = '[removed]';
      own(li, '> footer')?.remove();
    } else keepInPlace(() => li.remove());
  });
  // The count and what follows it (the header's copy, the margin's passage counts) listen for this.
  when('summary', summarize);
  when('name', (m) => {
    for (const a of root.querySelectorAll(`.comment-author[href="${m.href}"]`)) {
      a.closest('article')!.ariaLabel = m.label!;
      if (a.nextElementSibling?.matches('.comment-handle')) a.nextElementSibling.remove();
      a.outerHTML = m.html!;
    }
  });
  // The discussion was closed or reopened, or its pin changed: the notices, the pinned comment, the
  // templates and the form as the discussion's page now has them for this reader (each page a
  // moment apart, not all at once). The reader's own form stays where it is, with what it holds
  // (and focus), not shown while the discussion is closed.
  when('state', () =>
    setTimeout(async () => {
      // Unreachable, the page stays as it was: an action it still offers is refused with the reason.
      const fresh = $(DISCUSSION, parse(await (await fetch(base).catch(() => new Response())).text()));
      // The new comment's form is the only form, the pinned comment the only aside, of the discussion's own.
      const parts = ':scope>:is(.discussion-notice,form,aside,template)';
      const form = ':scope>form';
      const mine = $(form, root);
      if (!fresh) return;
      for (const el of root.querySelectorAll(parts)) if (el !== mine) el.remove();
      for (const el of fresh.querySelectorAll(parts)) if (!mine || el.tagName !== 'FORM') threads()!.before(el);
      // Its stylesheet sets display, which the hidden attribute would not override.
      if (mine) mine.style.display = $(form, fresh) ? '' : 'none';
      // The controls of the comments that page shows, as they now are for this reader (closed: no
      // like or reply; a moderator's Pin button where the pin is); changed ones only, so focus stays.
      for (const f of fresh.querySelectorAll('li>article>footer')) {
        const old = own(byId(f.parentElement!.parentElement!.id), '> footer');
        if (old && old.outerHTML != f.outerHTML) old.replaceWith(f);
      }
    }, Math.random() * 2e3),
  );
  // Much has changed since the page was loaded: the server's words ask the reader to reload.
  when('reset', (m) => {
    source.close();
    status.textContent = m.text!;
  });
}

/** "Next new comment": focus moves to the next comment marked new, round to the first (clicking the link focuses the link, so the last one is remembered). */
let lastNew: Element | null = null;
const NEW = 'li.comment-new';
on<MouseEvent>('click', (event) => {
  const link = (event.target as Element | null)?.closest('a[data-next-new]');
  const root = link?.closest(DISCUSSION);
  if (!root) return;
  const marked = [...root.querySelectorAll<HTMLElement>(NEW)];
  if (marked.length === 0) return;
  event.preventDefault();
  const at = marked.indexOf((document.activeElement?.closest<HTMLElement>(NEW) ?? lastNew) as HTMLElement);
  const next = marked[(at + 1) % marked.length]!;
  lastNew = next;
  next.scrollIntoView({ block: 'center' });
  next.focus({ preventScroll: true });
});

const root = $(`${DISCUSSION}[data-live-since]`);
if (root && 'EventSource' in window) connect(root);
