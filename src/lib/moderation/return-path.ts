// Where a moderation form sends the browser back to: a path on this site only, never another origin.
export function safeReturn(raw: string | null | undefined, fallback = '/admin'): string {
  if (!raw || raw.length > 2000 || !raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001F\u007F]/.test(raw)) return fallback;
  try {
    const url = new URL(raw, 'http://same-origin.invalid');
    return url.origin === 'http://same-origin.invalid' ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}

/** The sign-in page, coming back to `path` afterwards. */
export function signInThen(path: string): string {
  return `/signin?next=${encodeURIComponent(safeReturn(path, '/'))}`;
}
