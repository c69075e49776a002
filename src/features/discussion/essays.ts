// The essays a discussion can belong to, from the content collection (available on demand too).
import { getEntry } from 'astro:content';
import type { EssayInfo } from './types.ts';

export async function findEssay(slug: string | undefined | null): Promise<EssayInfo | null> {
  if (!slug || !/^[a-z0-9][a-z0-9-]{0,100}$/.test(slug)) return null;
  const entry = await getEntry('essays', slug);
  return entry ? { slug: entry.id, title: entry.data.title, discussion: entry.data.discussion } : null;
}
