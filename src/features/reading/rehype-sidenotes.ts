// Footnotes as sidenotes. remark-gfm turns [^x] into a numbered reference and an endnote list;
// this rehype plugin copies each note's text into a <span class="sidenote"> right after its
// reference, so wide screens can set it in the margin beside the line that cites it. The endnote
// list stays: it is the reference list on narrow screens, in print and for screen readers.

interface Node {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: Node[];
  value?: string;
}

const SKIP_INSIDE = new Set(['table', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'section']);
// remark-rehype's note ids: "fn-" + label, behind the clobber prefix (none for essays, see essay-markdown.ts).
const NOTE_ID = /^#(?:user-content-)?fn-(.+)$/;

function isElement(node: Node, tagName?: string): boolean {
  return node.type === 'element' && (tagName === undefined || node.tagName === tagName);
}

function hasProperty(node: Node, name: string): boolean {
  return node.properties?.[name] !== undefined && node.properties[name] !== false;
}

function textOf(node: Node): string {
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

/**
 * A bare web address, written out as its own link text, shown in the margin by its site's name:
 * the full address is one click away and stays written out in the endnotes. Margins are narrow,
 * and a page with forty cited addresses would otherwise carry each of them twice more.
 */
function shortLinkText(node: Node): string | null {
  const href = node.properties?.href;
  if (typeof href !== 'string' || !/^https?:\/\//.test(href) || textOf(node) !== href) return null;
  try {
    return new URL(href).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

/** Phrasing copy of a note: block elements become spans, back-links and ids are dropped. */
function phrasing(node: Node): Node | null {
  if (node.type === 'text') return { type: 'text', value: node.value };
  if (!isElement(node)) return null;
  if (hasProperty(node, 'dataFootnoteBackref')) return null;
  const site = isElement(node, 'a') ? shortLinkText(node) : null;
  if (site) return { type: 'element', tagName: 'a', properties: { ...node.properties }, children: [{ type: 'text', value: site }] };
  const block = ['p', 'div', 'ul', 'ol', 'li', 'blockquote'].includes(node.tagName ?? '');
  const { id: _id, ...properties } = node.properties ?? {};
  const children = (node.children ?? []).map(phrasing).filter((n): n is Node => n !== null);
  if (block) {
    return { type: 'element', tagName: 'span', properties: { className: ['sidenote-part'] }, children };
  }
  return { type: 'element', tagName: node.tagName, properties, children };
}

/** Drops the whitespace the removed back-link leaves at the very end of a note. */
function trimEnd(children: Node[]): Node[] {
  const last = children.at(-1);
  if (last?.type === 'text') last.value = (last.value ?? '').trimEnd();
  else if (last?.children) trimEnd(last.children);
  return children;
}

function collectNotes(tree: Node): Map<string, Node[]> {
  const notes = new Map<string, Node[]>();
  const walk = (node: Node) => {
    if (isElement(node, 'section') && hasProperty(node, 'dataFootnotes')) {
      const list = node.children?.find((c) => isElement(c, 'ol'));
      for (const item of list?.children ?? []) {
        if (!isElement(item, 'li')) continue;
        const id = String(item.properties?.id ?? '');
        const parts = (item.children ?? []).map(phrasing).filter((n): n is Node => n !== null && !(n.type === 'text' && !n.value?.trim()));
        // A one-paragraph note (the usual case) needs no wrapper of its own.
        const content = parts.length === 1 && parts[0].children ? parts[0].children : parts;
        notes.set(`#${id}`, trimEnd(content));
      }
      return;
    }
    node.children?.forEach(walk);
  };
  walk(tree);
  return notes;
}

/**
 * The margin copy of the note a reference points to, the first time it is cited. A note cited again
 * gets no second copy: the reference keeps its number, and the page stays light.
 */
function sidenoteFor(ref: Node, notes: Map<string, Node[]>, placed: Set<string>): Node | null {
  const link = ref.children?.find((c) => isElement(c, 'a') && hasProperty(c, 'dataFootnoteRef'));
  const href = String(link?.properties?.href ?? '');
  const content = notes.get(href);
  const label = NOTE_ID.exec(href)?.[1];
  if (!link || !content || !label || placed.has(href)) return null;
  placed.add(href);
  return {
    type: 'element',
    tagName: 'span',
    properties: { className: ['sidenote'], id: `sidenote-${label}`, role: 'note' },
    children: [
      { type: 'element', tagName: 'span', properties: { className: ['sidenote-number'] }, children: [{ type: 'text', value: textOf(link) }] },
      { type: 'text', value: ' ' },
      ...structuredClone(content),
    ],
  };
}

/** The endnote list's heading, hidden by default, becomes a visible "Notes". */
function showNotesHeading(tree: Node): void {
  const walk = (node: Node): void => {
    if (isElement(node, 'h2') && node.properties?.id === 'footnote-label') {
      node.properties.className = ['notes-heading'];
      node.children = [{ type: 'text', value: 'Notes' }];
      return;
    }
    node.children?.forEach(walk);
  };
  walk(tree);
}

export default function rehypeSidenotes() {
  return (tree: Node) => {
    const notes = collectNotes(tree);
    if (notes.size === 0) return;
    showNotesHeading(tree);
    const placed = new Set<string>();
    const insert = (parent: Node) => {
      const children = parent.children ?? [];
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (!isElement(child)) continue;
        if (SKIP_INSIDE.has(child.tagName ?? '')) continue;
        if (child.tagName === 'sup') {
          const note = sidenoteFor(child, notes, placed);
          if (note) children.splice(++i, 0, note);
          continue;
        }
        insert(child);
      }
    };
    insert(tree);
  };
}
