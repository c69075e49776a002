// Pure rules over the essay list: order, tags, related essays. Pages fetch the collection and call these.

export interface EssayLike {
  id: string;
  data: { title: string; published: Date; tags: string[]; related: string[] };
}

export function newestFirst<T extends EssayLike>(essays: readonly T[]): T[] {
  return [...essays].sort((a, b) => b.data.published.valueOf() - a.data.published.valueOf() || a.id.localeCompare(b.id));
}

/** A tag as it appears in a URL: lower case, words joined by hyphens. */
export function tagSlug(tag: string): string {
  return tag
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, ''); // runs are single hyphens by now
}

export interface TagCount {
  tag: string;
  slug: string;
  count: number;
}

/** Every tag with the number of essays carrying it, most used first, then by name. */
export function tagCounts(essays: readonly EssayLike[]): TagCount[] {
  const counts = new Map<string, TagCount>();
  for (const essay of essays) {
    for (const tag of new Set(essay.data.tags)) {
      const slug = tagSlug(tag);
      const entry = counts.get(slug) ?? { tag, slug, count: 0 };
      entry.count += 1;
      counts.set(slug, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}

export function essaysTagged<T extends EssayLike>(essays: readonly T[], slug: string): T[] {
  return newestFirst(essays.filter((e) => e.data.tags.some((t) => tagSlug(t) === slug)));
}

/**
 * The essays to read next: those named in `related` first, in the author's order, then others
 * sharing the most tags, then the newest. Never the essay itself, never a slug that does not exist.
 */
export function relatedEssays<T extends EssayLike>(essay: T, all: readonly T[], limit = 3): T[] {
  const byId = new Map(all.map((e) => [e.id, e]));
  const chosen: T[] = [];
  for (const id of essay.data.related) {
    const found = byId.get(id);
    if (found && found.id !== essay.id && !chosen.includes(found)) chosen.push(found);
  }
  const tags = new Set(essay.data.tags.map(tagSlug));
  const shared = (e: T) => e.data.tags.filter((t) => tags.has(tagSlug(t))).length;
  const rest = newestFirst(all.filter((e) => e.id !== essay.id && !chosen.includes(e))).sort((a, b) => shared(b) - shared(a));
  return [...chosen, ...rest].slice(0, limit);
}
