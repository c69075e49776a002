// @ts-check
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import remarkGfm from 'remark-gfm';

export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:4321',
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  integrations: [mdx()],
  markdown: {
    // Astro 7's default processor runs no remark plugins. GFM (footnotes, tables) comes from
    // remark-gfm here, once: the processor's built-in copy is switched off so it is not applied twice.
    processor: unified({ gfm: false, remarkPlugins: [remarkGfm] }),
  },
  // lucia keeps the sessions; Astro's own session store would only write files nobody reads.
  session: false,
  security: { checkOrigin: true, csp: true },
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
});
