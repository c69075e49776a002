// The passage index at run time: every essay's blocks and version, as the build wrote them beside the
// server bundle (src/features/reading/passage-index.ts). The server reads it once, to check a quoted
// passage, find anchors again after an edit, and show a passage on the discussion page without a script.
import { existsSync, readFileSync } from 'node:fs';
import { BLOCK_ID, BLOCK_TAGS, type Block, type BlockKind, type EssayPassages } from './blocks.ts';

/** The file's name; the build writes it into the server bundle's folder (dist/server/). */
export const PASSAGE_INDEX_FILE = 'passage-index.json';

export interface PassageIndex {
  format: 1;
  essays: Record<string, EssayPassages>;
}

const KINDS = new Set<string>(Object.values(BLOCK_TAGS));

function isBlock(value: unknown): value is Block {
  if (typeof value !== 'object' || value === null) return false;
  const { id, kind, text } = value as Record<string, unknown>;
  return typeof id === 'string' && BLOCK_ID.test(id) && typeof kind === 'string' && KINDS.has(kind as BlockKind) && typeof text === 'string' && text !== '';
}

/** Reads the file's text; throws on anything but an index this build could have written. */
export function parsePassageIndex(json: string): PassageIndex {
  const data = JSON.parse(json) as Partial<PassageIndex> | null;
  if (data?.format !== 1 || typeof data.essays !== 'object' || data.essays === null) throw new Error('The passage index is not in format 1.');
  for (const [slug, essay] of Object.entries(data.essays)) {
    if (typeof essay?.version !== 'string' || !Array.isArray(essay.blocks) || !essay.blocks.every(isBlock)) {
      throw new Error(`The passage index's entry for ${slug} is malformed.`);
    }
  }
  return data as PassageIndex;
}

/**
 * Where the index is: beside the server bundle, found by walking up from this module (in dist/server/chunks/
 * after a build, as the Node adapter finds its client folder); from the source tree (`astro dev`, tests),
 * the last build's copy in dist/server/. Null when there has been no build.
 */
export function findPassageIndex(from: string = import.meta.url): URL | null {
  let dir = new URL('./', from);
  for (;;) {
    for (const candidate of [new URL(PASSAGE_INDEX_FILE, dir), new URL(`dist/server/${PASSAGE_INDEX_FILE}`, dir)]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return null;
    dir = parent;
  }
}

let loaded: PassageIndex | null | undefined;

/**
 * The index, read once per process. Null when there is none: then no passage can be checked, and
 * anchors must be left as they are, never re-anchored against nothing (that would detach them all).
 */
export function passageIndex(): PassageIndex | null {
  if (loaded === undefined) {
    const file = findPassageIndex();
    loaded = file ? parsePassageIndex(readFileSync(file, 'utf8')) : null;
  }
  return loaded;
}

/** One essay's blocks and version, or undefined for an essay the index does not know. */
export function essayPassages(index: PassageIndex, essay: string): EssayPassages | undefined {
  return Object.hasOwn(index.essays, essay) ? index.essays[essay] : undefined;
}
