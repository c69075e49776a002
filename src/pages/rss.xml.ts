// The essays as an RSS feed, newest first: title, summary, date, topics.
import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { getCollection } from 'astro:content';
import { newestFirst } from '../features/reading/essays.ts';
import { SITE } from '../lib/site.ts';

export async function GET(context: APIContext) {
  const essays = newestFirst(await getCollection('essays'));
  return rss({
    title: SITE.name,
    description: SITE.description,
    site: context.site ?? context.url.origin,
    items: essays.map((essay) => ({
      title: essay.data.title,
      description: essay.data.summary,
      pubDate: essay.data.published,
      link: `/essays/${essay.id}/`,
      categories: essay.data.tags,
    })),
    customData: '<language>en-gb</language>',
  });
}
