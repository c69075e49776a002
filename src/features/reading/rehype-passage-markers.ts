// The margin marker of every discussable block: an empty link at the end of the block, to the
// discussion of that passage (/discussion/<essay>/?passage=<id>), named for screen readers
// ("Discuss this paragraph"). Without JavaScript it is the way to comment on a passage; with it, the
// essay page's script (src/features/passages/passage-client.ts) shows the block's count in it and
// filters the discussion in place. It holds no text, so the block's text (and its id) stay as they
// are; its look is the stylesheet's (passages.css). Runs after rehype-block-ids.ts, on an essay
// file whose name is its slug; text rendered from no file (tests) gets no markers.
import { basename } from 'node:path';
import { BLOCK_ID } from '../passages/blocks.ts';
import { markerLabel } from '../passages/margin-rules.ts';
import { blockNoun, passagePageUrl } from '../passages/passage-rules.ts';
import { elementId, type HastNode } from './essay-blocks.ts';

/** The essay a Markdown file is: its file name without the extension, as the content collection names it. */
function slugOf(path: string | undefined): string | null {
  const name = basename(path ?? '');
  const dot = name.lastIndexOf('.');
  return dot > 0 && /^\.mdx?$/.test(name.slice(dot)) ? name.slice(0, dot) : null;
}

/** The marker for block `id`: a HAST element, or an MDX JSX one where the block is HTML written in MDX. */
function marker(parent: HastNode, essay: string, id: string): HastNode {
  const properties = { className: ['pm'], href: passagePageUrl(essay, id), ariaLabel: markerLabel(blockNoun(id), 0) };
  if (parent.type === 'element') return { type: 'element', tagName: 'a', properties, children: [] };
  const attributes = [
    { type: 'mdxJsxAttribute', name: 'class', value: 'pm' },
    { type: 'mdxJsxAttribute', name: 'href', value: properties.href },
    { type: 'mdxJsxAttribute', name: 'aria-label', value: properties.ariaLabel },
  ];
  return { type: 'mdxJsxTextElement', name: 'a', attributes, children: [] };
}

export default function rehypePassageMarkers() {
  return (tree: HastNode, file: { path?: string }) => {
    const essay = slugOf(file.path);
    if (!essay) return;
    const walk = (node: HastNode): void => {
      for (const child of node.children ?? []) walk(child);
      const id = node.type === 'element' || node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement' ? elementId(node) : undefined;
      if (id !== undefined && BLOCK_ID.test(id)) (node.children ??= []).push(marker(node, essay, id));
    };
    walk(tree);
  };
}
