// How essays' Markdown becomes HTML: the options of the unified processor, shared by
// astro.config.mjs and the tests so both render the same way.
import type { UnifiedProcessorOptions } from '@astrojs/markdown-remark';
import remarkGfm from 'remark-gfm';
import rehypeBlockIds from './rehype-block-ids.ts';
import rehypePassageMarkers from './rehype-passage-markers.ts';
import rehypeSidenotes from './rehype-sidenotes.ts';

export const ESSAY_MARKDOWN: UnifiedProcessorOptions = {
  // Astro 7's default processor runs no remark plugins. GFM (footnotes, tables) comes from
  // remark-gfm here, once: the processor's built-in copy is switched off so it is not applied twice.
  gfm: false,
  remarkPlugins: [remarkGfm],
  // Each footnote is also copied beside its first reference, for the margin on wide screens; then
  // every discussable block gets its stable id (a block's text leaves those copies out), and then
  // its margin marker, a link to the passage's discussion.
  rehypePlugins: [rehypeSidenotes, rehypeBlockIds, rehypePassageMarkers],
  // Essays are our own text, so their note ids need no "user-content-" guard prefix: plain
  // "fn-x" and "fnref-x" keep a page with forty notes a few kilobytes lighter.
  remarkRehype: { clobberPrefix: '' },
};
