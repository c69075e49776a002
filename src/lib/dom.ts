// DOM helpers for the scripts bundled into the discussion island's script (discussion-client.ts and
// passage-client.ts), there once: the essay page's JavaScript has a budget (passages/README.md).
// passage-tools.ts, a chunk loaded on demand, keeps its own: importing these would make it import
// the island's chunk.

/** The first match of `selector` in `from` (the document by default), or null, also when `from` is null. */
export const $ = <T extends Element = HTMLElement>(selector: string, from: ParentNode | null | undefined = document) => from?.querySelector<T>(selector) ?? null;

export const byId = (id: string) => document.getElementById(id);

/** Listens on the document (the scripts delegate: content loaded later needs nothing of its own). */
export const on = <E extends Event = Event>(type: string, listener: (event: E) => void, capture?: boolean) => document.addEventListener(type, listener as EventListener, capture);

/** A click of the main button without a modifier key, not yet handled: one to handle in place (a modifier asks the browser for its own action). */
export const plainClick = (event: MouseEvent) => !(event.defaultPrevented || event.button || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
