// The page a server island was loaded by. Inside an island Astro.url is the island's own address.
// The page's path could come in as a prop, but every prop rides, encrypted, in the island's URL in
// the page's script, and an essay page's JavaScript has a budget (passages/README.md). The browser
// names the page itself: the island's request carries it as its Referer, which the site's
// Referrer-Policy (same-origin) has browsers send in full to the site. Only its path is taken, and
// only a path safeNext follows; without one (a browser told to send no Referer at all) the island
// gets `fallback`, as a page without a path would.
import { safeNext } from './safe-next.ts';

export function islandPagePath(request: Request, fallback: string): string {
  const referer = request.headers.get('referer');
  if (!referer) return fallback;
  // Its path only, whatever its origin: behind a proxy the island's own URL may name another (the
  // proxy's upstream), and a path names a page of this site only once safeNext has let it through.
  try {
    return safeNext(new URL(referer).pathname, fallback);
  } catch {
    return fallback;
  }
}
