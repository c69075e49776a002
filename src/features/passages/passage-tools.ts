// The passage tools of the essay page, loaded by passage-client.ts the first time a reader selects
// words of the essay, follows a margin marker or a quote, or arrives at highlighted words: most
// readers never need them, so the page does not load them up front.
// - A selection inside one block (mouse, touch or keyboard) offers "Discuss this passage", which Tab
//   reaches. It puts the quote (and 32 characters either side, to tell repeats apart) in the
//   discussion's comment form, shown above the text box; the server checks it against the essay.
// - Following a marker quotes its block in the form, highlights it, and filters the discussion to it
//   ("On this passage", one more choice of the sort bar, fetched by the discussion's script);
//   following a comment's quote highlights its words in the essay. Highlights use the CSS Custom
//   Highlight API: nothing is added to the essay's markup.
// A block's text is read by the rules the build's index uses (passages/README.md), so offsets here
// are the server's.
import { BLOCK_ID, CONTEXT_CHARS, MAX_QUOTE_CHARS } from './blocks.ts';
import { parseHighlight, wholeBlockQuote } from './passage-rules.ts';

type Place = [block: string, start: number, end: number];

// The tags of blocks.ts BLOCK_TAGS, written out: the table's values (the kinds) are not needed here.
const BLOCKS = 'p,li,blockquote,td,th,figcaption';
// Text no block counts: notes' numbers and margin copies, drawings, and this script's own control.
const NOT_TEXT = '.sidenote,a[data-footnote-ref],svg,.pm,.passage-control';
const $ = <T extends Element = HTMLElement>(selector: string, from: ParentNode | null | undefined = document) => from?.querySelector<T>(selector) ?? null;
const discussion = () => $('[data-discussion]');
const newForm = () => $<HTMLFormElement>('form[data-mode=new]', discussion());

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]>) => Object.assign(document.createElement(tag), props);

/** The discussable block a node is in, inside the essay's text. */
function blockOf(node: Node | null | undefined): HTMLElement | null {
  const block = (node instanceof Element ? node : node?.parentElement)?.closest<HTMLElement>(BLOCKS);
  return block && BLOCK_ID.test(block.id) && block.closest('.essay-body') ? block : null;
}

interface TextMap {
  /** The block's text as the index has it: white space collapsed, none at the ends. */
  text: string;
  /** Where a DOM boundary point inside the block falls in `text`. */
  offset(container: Node, offset: number): number;
  /** A DOM range over characters start..end of `text` (none when they are not in it). */
  range(start: number, end: number): Range[];
}

/** A block's text, read by the rules the build reads it by, and the way between it and the page's DOM. */
function textMap(block: Element): TextMap {
  // The block's own text nodes in order, and where each starts in `raw`, their text joined.
  const nodes: Text[] = [];
  const starts: number[] = [];
  let raw = '';
  // Elements and text (5); what is not text is skipped with all it holds (2: reject, 1: accept).
  const walker = document.createTreeWalker(block, 5, { acceptNode: (n) => (n instanceof Element && n.matches(NOT_TEXT) ? 2 : 1) });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    // Text of a block inside this one (an item's nested list) is that block's.
    if (n.parentElement?.closest(BLOCKS) !== block) continue;
    if (n instanceof Text) {
      nodes.push(n);
      starts.push(raw.length);
      raw += n.data;
    } else if (n.nodeName === 'BR') raw += ' ';
  }
  // Collapsing white space as blockText does; at[i]: where character i of the text is in `raw`.
  let text = '';
  const at: number[] = [];
  let gap = -1;
  for (let i = 0; i < raw.length; i++) {
    if (/\s/.test(raw[i]!)) {
      if (gap < 0) gap = i;
      continue;
    }
    if (gap >= 0 && text) {
      text += ' ';
      at.push(gap);
    }
    gap = -1;
    text += raw[i];
    at.push(i);
  }
  // A boundary point: after every text node of the block that lies before it (or inside the node it is in).
  const offset = (container: Node, within: number) => {
    const before = document.createRange();
    before.setStart(block, 0);
    before.setEnd(container, within);
    let r = 0;
    nodes.forEach((t, i) => {
      if (t === container) r = starts[i]! + within;
      else if (before.intersectsNode(t)) r = starts[i]! + t.length;
    });
    return at.filter((a) => a < r).length;
  };
  const range = (start: number, end: number) => {
    // The node holding raw position r; an end may stand just after a node's last character.
    const point = (r: number, isEnd: boolean): [Text, number] | null => {
      const i = nodes.findIndex((t, k) => r >= starts[k]! && r - starts[k]! < t.length + (isEnd ? 1 : 0));
      return i < 0 ? null : [nodes[i]!, r - starts[i]!];
    };
    const from = start >= 0 && start < end && end <= text.length ? point(at[start]!, false) : null;
    const to = from && point(at[end - 1]! + 1, true);
    if (!from || !to) return [];
    const made = document.createRange();
    made.setStart(...from);
    made.setEnd(...to);
    return [made];
  };
  return { text, offset, range };
}

/** Highlights words of blocks, replacing what was highlighted. */
function highlight(places: (Place | null)[]): void {
  const ranges = places.flatMap((p) => {
    const block = p && blockOf(document.getElementById(p[0]));
    return block ? textMap(block).range(p[1], p[2]) : [];
  });
  CSS.highlights?.set('passage', new Highlight(...ranges));
}

/** Where a comment quote's link points (`/essays/<essay>/?hl=<start>-<end>#<block>`). */
function placeOf(link: Pick<HTMLAnchorElement, 'href' | 'hash'>): Place | null {
  const hl = parseHighlight(new URL(link.href).searchParams.get('hl'));
  return hl ? [decodeURIComponent(link.hash.slice(1)), hl.start, hl.end] : null;
}

// ---- the form ---------------------------------------------------------------------------------

/** Puts a passage in the discussion's form for a new comment (the island's template of it, filled in), with a button to take it out again. */
function quoteInForm(block: HTMLElement, exact: string, prefix = '', suffix = ''): HTMLFormElement | null {
  const form = newForm();
  const template = $<HTMLTemplateElement>('template[data-passage-template]', discussion());
  if (!form || !template) return null;
  $('[data-form-passage]', form)?.remove();
  const box = template.content.firstElementChild!.cloneNode(true) as HTMLElement;
  const values: Record<string, string> = { passage: block.id, quote: exact, quote_prefix: prefix, quote_suffix: suffix };
  for (const input of box.querySelectorAll('input')) input.value = values[input.name]!;
  $('blockquote', box)!.textContent = exact;
  $('button', box)!.onclick = () => {
    box.remove();
    $('.pm', block)?.focus();
  };
  $('label', form)!.before(box);
  return form;
}

// ---- the selection control --------------------------------------------------------------------

const control = element('button', { type: 'button', className: 'passage-control' });
/** The quote the control offers: its block, the words, and the text before and after them. */
let offered: [HTMLElement, string, string, string] | null = null;
/** Tab moves to the control once per selection (then on as usual). */
let tabbed = false;

/** The selected words, when they lie in one block (a selection reaching just into the next block, as a triple click makes, counts as the first). */
function selectedQuote(): [HTMLElement, string, string, string] | null {
  const selection = getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const block = blockOf(range.startContainer);
  const endBlock = blockOf(range.endContainer);
  if (!block || !endBlock) return null;
  const map = textMap(block);
  const start = map.offset(range.startContainer, range.startOffset);
  let end: number;
  if (endBlock === block) end = map.offset(range.endContainer, range.endOffset);
  else if (textMap(endBlock).offset(range.endContainer, range.endOffset) === 0) end = map.text.length;
  else return null;
  const exact = map.text.slice(start, end).trim();
  if (!exact) return null;
  const at = map.text.indexOf(exact, start);
  return [block, exact, map.text.slice(Math.max(0, at - CONTEXT_CHARS), at), map.text.slice(at + exact.length, at + exact.length + CONTEXT_CHARS)];
}

/** Shows the control beside a selection in one block, or takes it away. */
function offer(): void {
  const quote = selectedQuote();
  if (!quote) {
    if (document.activeElement !== control) control.remove();
    offered = null;
    return;
  }
  if (offered?.[1] !== quote[1]) tabbed = false;
  offered = quote;
  // Over 500 characters: said at once (the server would refuse it too, with the reader's text kept).
  const long = [...quote[1]].length > MAX_QUOTE_CHARS;
  control.disabled = long;
  control.textContent = long ? `Select at most ${MAX_QUOTE_CHARS} characters to discuss` : 'Discuss this passage';
  const block = quote[0];
  (block.closest('table') ?? block).after(control);
  // Wide screens set it in the margin, level with the selection; narrow ones ignore `top`: it follows the block.
  const top = getSelection()!.getRangeAt(0).getBoundingClientRect().top - $('.essay-body')!.getBoundingClientRect().top;
  control.style.top = `${Math.round(top)}px`;
}

let timer = 0;
// A click on the control must not take the selection away first.
control.onmousedown = (event) => event.preventDefault();
control.onclick = () => {
  // The selection as it is now (the offer may be from a moment before the selection was finished).
  offered = selectedQuote() ?? offered;
  const form = offered && quoteInForm(...offered);
  // Signed out, or a closed discussion: the passage's own page says how to take part.
  if (!form) return offered && location.assign($<HTMLAnchorElement>(':scope > .pm', offered[0])!.href);
  control.remove();
  const box = $('textarea', form)!;
  box.scrollIntoView({ block: 'center' });
  box.focus({ preventScroll: true });
};
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Tab' || event.shiftKey || !control.isConnected || tabbed || document.activeElement === control) return;
  tabbed = true;
  event.preventDefault();
  control.focus();
});

// ---- following markers and quotes ---------------------------------------------------------------

/** Following a marker: the block quoted in the form, the discussion filtered to it, its comments' words highlighted. */
function showPassage(marker: HTMLAnchorElement): void {
  const block = marker.parentElement!;
  const root = discussion();
  const nav = $('.discussion-sort', root);
  if (!root || !nav) return location.assign(marker.href);
  const { text } = textMap(block);
  quoteInForm(block, wholeBlockQuote(text));
  let filter = $<HTMLAnchorElement>('[data-sort=passage]', nav);
  if (!filter) {
    filter = element('a', { textContent: 'On this passage' });
    filter.dataset.sort = 'passage';
    nav.append(filter);
  }
  filter.href = marker.href;
  // Once the filtered threads are in (a new list, marked current), the words their quotes point at are
  // highlighted (the whole block while none does).
  const shown = $('[data-threads]', root);
  const watch = new MutationObserver(() => {
    if ($('[data-threads]', root) === shown || !filter.hasAttribute('aria-current')) return;
    watch.disconnect();
    const places = [...root.querySelectorAll<HTMLAnchorElement>('[data-threads] a[data-passage-link]')].map(placeOf).filter((p) => p?.[0] === block.id);
    highlight(places.length > 0 ? places : [[block.id, 0, text.length]]);
  });
  watch.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-current'] });
  // The discussion's script fetches the filtered threads as it does for a sort.
  filter.click();
  filter.scrollIntoView({ block: 'start' });
  filter.focus({ preventScroll: true });
}

/** Following a comment's quote on the essay page: its words highlighted, scrolled to. */
function followQuote(link: HTMLAnchorElement): void {
  highlight([placeOf(link)]);
  history.pushState(null, '', link.href);
  document.getElementById(decodeURIComponent(link.hash.slice(1)))?.scrollIntoView({ block: 'center' });
}

/** Follows a margin marker or a comment's quote (passage-client.ts has checked that this page can). */
export function follow(link: HTMLAnchorElement): void {
  if (link.matches('.pm')) showPassage(link);
  else followQuote(link);
}

/** Arriving from a quote's link (?hl=…#<block>): its words highlighted. */
export const arrive = () => highlight([placeOf(location)]);

document.addEventListener('selectionchange', () => {
  clearTimeout(timer);
  timer = window.setTimeout(offer, 150);
});
offer();
