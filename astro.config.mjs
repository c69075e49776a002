// @ts-check
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import remarkGfm from 'remark-gfm';
import rehypeSidenotes from './src/lib/rehype-sidenotes.ts';

export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:4321',
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  // The sitemap lists the prerendered pages only: on-demand routes (forms, accounts) stay out.
  integrations: [mdx(), sitemap()],
  markdown: {
    // Astro 7's default processor runs no remark plugins. GFM (footnotes, tables) comes from
    // remark-gfm here, once: the processor's built-in copy is switched off so it is not applied twice.
    // rehypeSidenotes copies each footnote beside its reference for the margin on wide screens.
    processor: unified({ gfm: false, remarkPlugins: [remarkGfm], rehypePlugins: [rehypeSidenotes] }),
  },
  // lucia keeps the sessions; Astro's own session store would only write files nobody reads.
  session: false,
  security: { checkOrigin: true, csp: true },
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
});
