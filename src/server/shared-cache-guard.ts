// The last word on shared caches (nginx, a CDN), whatever a route said, checked as the headers
// leave: a response that sets a cookie, or that answers a request carrying a session cookie, is
// never one a shared cache may keep, whether a route marked it public or left it unmarked. Routes mark what shared caches may keep (conditional-get.ts
// marks signed-out discussion responses and feeds `public, s-maxage=…`); this catches a route
// that forgets to ask who is reading. Hashed assets (`immutable`) are the same for everyone and keep their marks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { absorbHead, headerText } from './response-head.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A Cookie header's pairs in order, names and values trimmed; a pair without "=" has no value. */
function cookiePairs(header: string | undefined): { name: string; value: string | null }[] {
  if (!header) return [];
  return header.split(';').map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? { name: pair.trim(), value: null } : { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
  });
}

/** Whether a Cookie header holds a cookie of this name with a value. */
export function hasCookie(header: string | undefined, name: string): boolean {
  return cookiePairs(header).some((pair) => pair.name === name && !!pair.value);
}

/** Whether a Cookie header names a cookie, with a value or without (any such reader is not anonymous). */
export function namesCookie(header: string | undefined, name: string): boolean {
  return cookiePairs(header).some((pair) => pair.name === name);
}

/** The value of the first cookie of this name that has one, as Astro's cookies read a plain value; undefined when empty or absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  return cookiePairs(header).find((pair) => pair.name === name && pair.value !== null)?.value || undefined;
}

/** The Cache-Control a response may leave with; `undefined` when it may keep its own. */
export function guardedCacheControl(options: { cacheControl: string; setsCookie: boolean; sessionCookie: boolean }): string | undefined {
  const { cacheControl, setsCookie, sessionCookie } = options;
  const privateAlready = /\b(?:private|no-store)\b/i.test(cacheControl);
  if (setsCookie) return privateAlready ? undefined : 'private, no-store';
  if (sessionCookie && !privateAlready && /\b(?:public|s-maxage)\b/i.test(cacheControl) && !/\bimmutable\b/i.test(cacheControl)) return 'private, no-cache';
  // Unmarked or marked only for its age, a shared cache could keep a signed-in reader's page
  // (outside review: the appeal page, which lists the reader's held comments, said nothing).
  if (sessionCookie && !privateAlready && !/\bimmutable\b/i.test(cacheControl)) return cacheControl.trim() === '' ? 'private' : `private, ${cacheControl}`;
  return undefined;
}

export function withSharedCacheGuard(handler: Handler, sessionCookieName: string): Handler {
  return (req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, statusCode: number, ...args: unknown[]) {
      absorbHead(this, statusCode, args as Parameters<typeof absorbHead>[2]);
      const replaced = guardedCacheControl({
        cacheControl: headerText(this, 'cache-control'),
        setsCookie: this.hasHeader('set-cookie'),
        sessionCookie: hasCookie(req.headers.cookie, sessionCookieName),
      });
      if (replaced) this.setHeader('Cache-Control', replaced);
      return writeHead.call(this, this.statusCode);
    } as ServerResponse['writeHead'];
    handler(req, res);
  };
}
