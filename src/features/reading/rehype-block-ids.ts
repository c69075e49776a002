// Block ids: every paragraph, list item, quotation, table cell and figure caption of an essay gets
// an id made from its own text (essay-blocks.ts), such as id="p-0k3x9a2m". A passage comment is
// anchored to it, the margin marker links to /discussion/<essay>/?passage=<id>, and the discussion
// links back to /essays/<essay>/#<id>, which a browser follows without any script. The id depends
// on what the block says, not where it stands, so blocks added, removed or moved around it leave
// it alone; editing the block's own text gives it a new id, and anchors are found again by their
// words (src/features/passages/anchor-rules.ts).
import { blockIds, elementId, findBlocks, type HastNode } from './essay-blocks.ts';

function setId(element: HastNode, id: string): void {
  const own = elementId(element);
  if (own !== undefined) {
    // An author's id would be changed under them, or a second id would be needed: say so instead.
    throw new Error(`A ${element.tagName ?? element.name} with its own id "${own}" is a discussable block, whose id is made from its text. Remove the id, or link to the block's id (${id}).`);
  }
  if (element.type === 'element') element.properties = { ...element.properties, id };
  else element.attributes = [...(element.attributes ?? []), { type: 'mdxJsxAttribute', name: 'id', value: id }];
}

export default function rehypeBlockIds() {
  return (tree: HastNode) => {
    const blocks = findBlocks(tree);
    const ids = blockIds(blocks);
    blocks.forEach((block, i) => setId(block.element, ids[i]!));
  };
}
