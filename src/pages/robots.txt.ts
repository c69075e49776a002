// Crawlers may read everything public; the sitemap lists it. Account and moderation pages say noindex themselves.
import type { APIContext } from 'astro';

export function GET(context: APIContext) {
  const sitemap = new URL('/sitemap-index.xml', context.site ?? context.url.origin);
  return new Response(`User-agent: *\nAllow: /\n\nSitemap: ${sitemap.href}\n`, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
