// The passage index, written at the end of the build: each essay's blocks (id, kind, text) and its
// version, read from the built pages themselves, so it holds exactly what a reader sees, figure
// captions drawn by components included. The server reads it (src/features/passages/index-file.ts);
// the essay pages stay prerendered. Every id is checked against its block's text here, so a block
// whose text the page changed after the ids were given fails the build instead of anchoring wrongly.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type { AstroIntegration } from 'astro';
import { fromHtml } from 'hast-util-from-html';
import { BLOCK_ID, KIND_PREFIX, type Block, type EssayPassages } from '../passages/blocks.ts';
import { PASSAGE_INDEX_FILE, type PassageIndex } from '../passages/index-file.ts';
import { baseBlockId, elementId, essayVersion, findBlocks, type HastNode } from './essay-blocks.ts';

/** The essay's text on its page: the layout's `.essay-body` (not the header, notes' log or discussion). */
function essayBody(node: HastNode): HastNode | null {
  const className = node.properties?.className;
  if (node.type === 'element' && Array.isArray(className) && className.includes('essay-body')) return node;
  for (const child of node.children ?? []) {
    const found = essayBody(child);
    if (found) return found;
  }
  return null;
}

/**
 * An essay's blocks from its built page: the blocks that carry a block id, in reading order. Blocks
 * without one (a figure's data table, the poll) are not discussable. Throws, naming the page, when an
 * id does not say its block's kind and text, or two blocks share one.
 */
export function essayPassagesFromHtml(html: string, page: string): EssayPassages {
  const body = essayBody(fromHtml(html) as HastNode);
  if (!body) throw new Error(`${page}: no .essay-body to read the passages from.`);
  const blocks: Block[] = [];
  const seen = new Set<string>();
  for (const { element, kind, text } of findBlocks(body)) {
    const id = elementId(element);
    if (id === undefined || !BLOCK_ID.test(id)) continue;
    const expected = baseBlockId(kind, text);
    if (id !== expected && !id.startsWith(`${expected}-`)) {
      throw new Error(`${page}: block ${id} should be ${expected} (a ${kind}, prefix "${KIND_PREFIX[kind]}-", and the hash of its text): "${text.slice(0, 80)}"`);
    }
    if (seen.has(id)) throw new Error(`${page}: two blocks have the id ${id}.`);
    seen.add(id);
    blocks.push({ id, kind, text });
  }
  return { version: essayVersion(blocks), blocks };
}

/** The index of every essay page built under `clientDir` (its essays/<slug>/index.html). */
export async function passageIndexOfBuild(clientDir: URL): Promise<PassageIndex> {
  const essaysDir = new URL('essays/', clientDir);
  const slugs = (await readdir(essaysDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const essays: PassageIndex['essays'] = {};
  for (const slug of slugs) {
    const page = new URL(`${slug}/index.html`, essaysDir);
    essays[slug] = essayPassagesFromHtml(await readFile(page, 'utf8'), `/essays/${slug}/`);
  }
  return { format: 1, essays };
}

/** The build step: after the pages are written, read them and write the index beside the server bundle. */
export function passageIndexIntegration(): AstroIntegration {
  let serverDir: URL | undefined;
  return {
    name: 'passage-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        serverDir = config.build.server;
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!serverDir) throw new Error('The passage index has no server folder to go into.');
        const index = await passageIndexOfBuild(dir);
        await writeFile(new URL(PASSAGE_INDEX_FILE, serverDir), JSON.stringify(index));
        const essays = Object.values(index.essays);
        logger.info(`${essays.reduce((n, e) => n + e.blocks.length, 0)} blocks in ${essays.length} essays → ${PASSAGE_INDEX_FILE}`);
      },
    },
  };
}
