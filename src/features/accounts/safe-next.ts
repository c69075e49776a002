// Where to send a reader after signing in, up or out. Only a path on this site is followed;
// anything that could lead elsewhere goes to the fallback (home).
//
// The order matters: the target is normalised first (parsed as a URL against this site, which
// resolves "." and ".." segments, their %2e spellings, backslashes and tabs the way a browser
// does), and only then checked. Checking the raw text first let "/.//evil.example" through: it
// starts with one slash, but normalises to "//evil.example", which a browser reads as another host.
// So the value returned is checked as a browser would read it: it must be a path with one leading
// slash, resolve to this site against any base, and still do so with its %-escapes decoded (a
// later hop that decodes "/%2F%2Fevil" must not find "//evil" either).
const MAX_LENGTH = 2000;
// Any origin will do: a relative path resolves the same against every one, and an input that
// names its own host changes the origin whatever this is. An invalid TLD never belongs to anyone.
const SITE = 'http://same-origin.invalid';
const OTHER_BASE = 'https://other-origin.invalid/a/b/c';
// Controls (tab, newline: browsers drop them inside URLs) and backslashes (read as "/").
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\\\u0000-\u001F\u007F-\u009F]/;

export function safeNext(raw: string | null | undefined, fallback = '/'): string {
  if (!raw || raw.length > MAX_LENGTH) return fallback;
  // A path on this site starts with exactly one "/", before and after normalising.
  if (!raw.startsWith('/') || raw.startsWith('//') || UNSAFE_CHARACTERS.test(raw)) return fallback;
  const path = normalisedPath(raw);
  if (path === null || !readsAsThisSite(path)) return fallback;
  // Decoded, the path must still be a plain same-site path.
  const decoded = fullyDecoded(path);
  if (decoded === null || UNSAFE_CHARACTERS.test(decoded)) return fallback;
  const renormalised = normalisedPath(decoded);
  if (renormalised === null || !readsAsThisSite(renormalised)) return fallback;
  return path;
}

/** The path, query and fragment `raw` resolves to on this site, or null if it leaves the site. */
function normalisedPath(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw, SITE);
  } catch {
    return null;
  }
  if (url.origin !== SITE) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A browser reading `path` as a Location or link stays on the page's own origin. */
function readsAsThisSite(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return false;
  try {
    return new URL(path, SITE).origin === SITE && new URL(path, OTHER_BASE).origin === new URL(OTHER_BASE).origin;
  } catch {
    return false;
  }
}

/** Percent-escapes decoded until nothing changes (double encoding included); null if malformed. */
function fullyDecoded(path: string): string | null {
  let current = path;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/** A sign-in or sign-up link that brings the reader back to `path`. */
export function withNext(route: string, path: string | null | undefined): string {
  const next = safeNext(path, '');
  return next && next !== '/' ? `${route}?next=${encodeURIComponent(next)}` : route;
}
