// The comment feeds' shared route logic: the latest comments as RSS, linked by permalink.
import type { APIContext } from 'astro';
import { latestComments } from '../../../db/discussion/comment-lists.ts';
import { database } from '../../../db/connection.ts';
import { commentFeed } from './feed-xml.ts';
import { essayTitles } from '../reading/essay-titles.ts';

export async function commentFeedResponse(context: APIContext, essay: { slug: string; title: string } | null): Promise<Response> {
  const site = context.site ?? context.url;
  const titles = await essayTitles();
  const rows = await latestComments(database(), { essay: essay?.slug, limit: 50 });
  const xml = commentFeed({
    title: essay ? `Comments on “${essay.title}” · The Convenience Bargain` : 'Latest comments · The Convenience Bargain',
    description: essay ? `The latest comments on “${essay.title}”.` : 'The latest comments under every essay.',
    link: new URL(essay ? `/essays/${essay.slug}/#discussion` : '/', site).href,
    self: new URL(context.url.pathname, site).href,
    items: rows.map((row) => ({
      // A display name with its @username: display names are chosen freely, usernames are unique.
      title: `${row.authorName && row.authorUsername ? `${row.authorName} (@${row.authorUsername})` : row.authorUsername || 'A former member'} on “${titles.get(row.essay) ?? row.essay}”`,
      link: new URL(`/comments/${row.id}`, site).href,
      html: row.bodyHtml,
      published: row.createdAt,
    })),
  });
  // Its ETag and Cache-Control come from the middleware (server/cacheable-routes.ts): a matching
  // If-None-Match is answered there, before these queries run.
  return new Response(xml, { headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' } });
}
