// @ts-check
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import { renderWorkerBundle } from './src/features/discussion/markdown/worker-bundle.ts';
import { streamHolderBundle } from './src/server/stream-holder-bundle.ts';
import { ESSAY_MARKDOWN } from './src/features/reading/essay-markdown.ts';
import { inSitemap } from './src/features/reading/sitemap.ts';
import { passageIndexIntegration } from './src/features/reading/passage-index.ts';
import precompress from './src/server/precompress-integration.ts';
import { plainDynamicImports } from './src/server/plain-dynamic-imports.ts';

export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:4321',
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  // The sitemap lists the reading pages; forms and accounts stay out (src/features/reading/sitemap.ts).
  // precompress writes .br and .gz copies of the finished build (src/server/precompress-integration.ts): last.
  // passageIndexIntegration reads each essay's blocks from the built pages into the index the server
  // anchors passage comments with (src/features/reading/passage-index.ts). renderWorkerBundle bundles
  // the comment renderer's worker beside the server (src/features/discussion/markdown/worker-bundle.ts),
  // streamHolderBundle the live streams' holder (src/server/stream-holder-bundle.ts).
  integrations: [mdx(), sitemap({ filter: inSitemap }), passageIndexIntegration(), renderWorkerBundle(), streamHolderBundle(), precompress()],
  vite: {
    // Bundled into the server build rather than imported from node_modules at run time: on
    // Node 24 resolving drizzle-orm's very large package.json exports map costs ~240 MB of RSS.
    ssr: { noExternal: ['drizzle-orm', '@lucia-auth/adapter-drizzle'] },
    // The passage tools load on demand with a plain import(), without Vite's preload helper (1.7 KB).
    plugins: [plainDynamicImports()],
  },
  // GFM through remark-gfm, footnotes also as sidenotes: see src/features/reading/essay-markdown.ts.
  markdown: { processor: unified(ESSAY_MARKDOWN) },
  // lucia keeps the sessions; Astro's own session store would only write files nobody reads.
  session: false,
  security: { checkOrigin: true, csp: true },
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
});
