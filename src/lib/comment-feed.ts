// RSS 2.0 for comments, by string building with every value escaped: pure, no I/O.
import { escapeHtml } from './escape-html.ts';

export interface FeedItem {
  title: string;
  link: string;
  html: string;
  published: number;
}

export function commentFeed(feed: { title: string; description: string; link: string; self: string; items: FeedItem[] }): string {
  const items = feed.items
    .map(
      (item) => `    <item>
      <title>${escapeHtml(item.title)}</title>
      <link>${escapeHtml(item.link)}</link>
      <guid isPermaLink="true">${escapeHtml(item.link)}</guid>
      <pubDate>${new Date(item.published).toUTCString()}</pubDate>
      <description>${escapeHtml(item.html)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeHtml(feed.title)}</title>
    <link>${escapeHtml(feed.link)}</link>
    <description>${escapeHtml(feed.description)}</description>
    <atom:link href="${escapeHtml(feed.self)}" rel="self" type="application/rss+xml" />
${items}
  </channel>
</rss>
`;
}
