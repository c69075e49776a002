// RSS 2.0 for comments, by string building with every value escaped: pure, no I/O.
import { escapeHtml } from '../../lib/escape-html.ts';
import { xmlSafeText } from '../../lib/xml-text.ts';

// Every value is escaped and cleaned of what XML forbids: rows stored before the input was
// cleaned (and display names) must not make the feed ill-formed.
const text = (value: string) => escapeHtml(xmlSafeText(value));

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
      <title>${text(item.title)}</title>
      <link>${text(item.link)}</link>
      <guid isPermaLink="true">${text(item.link)}</guid>
      <pubDate>${new Date(item.published).toUTCString()}</pubDate>
      <description>${text(item.html)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${text(feed.title)}</title>
    <link>${text(feed.link)}</link>
    <description>${text(feed.description)}</description>
    <atom:link href="${text(feed.self)}" rel="self" type="application/rss+xml" />
${items}
  </channel>
</rss>
`;
}
