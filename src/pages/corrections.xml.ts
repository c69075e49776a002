// The corrections log as an RSS feed, newest first: one item per correction, linking to its entry
// at the end of the essay.
import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { getCollection } from 'astro:content';
import { correctionInEssay, correctionLog } from '../features/reading/essay-corrections.ts';
import { SITE } from '../lib/site.ts';

export async function GET(context: APIContext) {
  const log = correctionLog(await getCollection('essays'));
  return rss({
    title: `${SITE.name}: corrections`,
    description: 'Every correction to the essays: what changed and why.',
    site: context.site ?? context.url.origin,
    items: log.map((c) => ({
      title: `Correction to “${c.essay.title}”`,
      description: `${c.change} Why: ${c.reason}`,
      pubDate: c.date,
      link: correctionInEssay(c.essay.id, c.id),
    })),
    customData: '<language>en-gb</language>',
    // The links end in an anchor (#id): a slash added after it would point nowhere.
    trailingSlash: false,
  });
}
