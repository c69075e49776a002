// Where to send a reader after signing in, up or out. Only a path on this site is followed;
// anything that could lead elsewhere ("//evil.example", "https://…", "/\evil", "javascript:")
// goes home. The result is a path, so it can never name another origin.
const MAX_LENGTH = 2000;
const PROBE = 'http://same-origin.invalid';

export function safeNext(raw: string | null | undefined, fallback = '/'): string {
  if (!raw || raw.length > MAX_LENGTH) return fallback;
  // Backslashes and control characters are read as "/" or dropped by some browsers: refuse them.
  if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001F\u007F]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, PROBE);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A sign-in or sign-up link that brings the reader back to `path`. */
export function withNext(route: string, path: string | null | undefined): string {
  const next = safeNext(path, '');
  return next && next !== '/' ? `${route}?next=${encodeURIComponent(next)}` : route;
}
