// Which pages the sitemap lists: the reading side only. Forms (sign in, account, polls) are pages
// too, and the sitemap integration would list every static route, but no search engine needs them.

const READING_PAGES = [/^\/$/, /^\/essays\/[^/]+\/$/, /^\/tags\/([^/]+\/)?$/, /^\/figures\/$/, /^\/series\/$/, /^\/corrections\/$/, /^\/privacy\/$/];

export function inSitemap(page: string): boolean {
  const path = new URL(page).pathname;
  return READING_PAGES.some((pattern) => pattern.test(path));
}
