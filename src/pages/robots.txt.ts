// Crawlers may read everything public; the sitemap lists the prerendered pages. Pages meant for one
// reader at one moment (forms, poll results) carry their own noindex.
import type { APIContext } from 'astro';

export function GET(context: APIContext) {
  const sitemap = new URL('/sitemap-index.xml', context.site ?? context.url.origin);
  return new Response(`User-agent: *\nAllow: /\n\nSitemap: ${sitemap.href}\n`, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
