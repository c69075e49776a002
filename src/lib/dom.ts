// DOM helpers for the scripts bundled into the discussion island's script (discussion-client.ts,
// live-client.ts and passage-client.ts), there once: the essay page's JavaScript has a budget
// (passages/README.md). passage-tools.ts, a chunk loaded on demand, keeps its own: importing these
// would add an import of the island's chunk and an export list to it, more bytes than the copies.

/** The discussion island's element, and the event its scripts tell each other its counts with (discussion/components/thread-dom.ts). */
export const DISCUSSION = '[data-discussion]';
export const SUMMARY = 'discussion:summary';

/** The first match of `selector` in `from` (the document by default), or null, also when `from` is null. */
export const $ = <T extends Element = HTMLElement>(selector: string, from: ParentNode | null | undefined = document) => from?.querySelector<T>(selector) ?? null;

export const byId = (id: string) => document.getElementById(id);

/** Listens on the document (the scripts delegate: content loaded later needs nothing of its own). */
export const on = <E extends Event = Event>(type: string, listener: (event: E) => void, capture?: boolean) => document.addEventListener(type, listener as EventListener, capture);

/** A new element with the given properties. */
export const make = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) => Object.assign(document.createElement(tag), props);

/** Markup parsed inert (a whole page too: its scripts do not run). */
export function parse(html: string): DocumentFragment {
  const template = make('template', { innerHTML: html });
  return template.content;
}

/** A click of the main button without a modifier key, not yet handled: one to handle in place (a modifier asks the browser for its own action). */
export const plainClick = (event: MouseEvent) => !(event.defaultPrevented || event.button || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
