// The wrappers that look at a response's head before it is sent (compress-response.ts,
// shared-cache-guard.ts, not-modified-headers.ts) need it in one place: headers given to
// writeHead() are moved onto the response with setHeader() first, which is what writeHead() would
// have done with them. The outermost of them sends every response's head, so the status line's
// reason phrase is settled here too, and an HTML answer's charset.
import { STATUS_CODES, type OutgoingHttpHeader, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';

type HeadArgs = [statusMessage?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]];

const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * Applies writeHead()'s arguments to `res` (status, headers) without sending anything. The reason
 * phrase is always the status's standard one: Astro's adapter copies its Response's statusText
 * onto the response, and a page that set `Astro.response.status = 404` keeps the 'OK' of the
 * response it started as ("404 OK"); Node keeps a reason phrase already set. A message given to
 * writeHead() goes the same way, so no status line says anything but its status.
 */
export function absorbHead(res: ServerResponse, statusCode: number, args: HeadArgs): void {
  res.statusCode = statusCode;
  res.statusMessage = STATUS_CODES[statusCode] ?? 'unknown';
  let [message, headers] = args;
  if (typeof message !== 'string') headers = message;
  if (headers) setHeaders(res, headers);
  // Astro says only `text/html` for the pages, fragments and islands it renders (and the direct
  // posts answer as it does), leaving the browser to find the charset in the page: every HTML
  // answer is UTF-8, and says so in its head, as the built files do (precompressed-static.ts).
  if (headerText(res, 'content-type').trim().toLowerCase() === 'text/html') res.setHeader('Content-Type', HTML_TYPE);
}

function setHeaders(res: ServerResponse, headers: OutgoingHttpHeaders | OutgoingHttpHeader[]): void {
  if (Array.isArray(headers)) {
    // Either [[name, value], …] or the flat [name, value, name, value, …] of raw headers.
    const pairs = headers.every(Array.isArray)
      ? (headers as unknown as [string, OutgoingHttpHeader][])
      : Array.from({ length: headers.length / 2 }, (_, i) => [String(headers[2 * i]), headers[2 * i + 1]!] as [string, OutgoingHttpHeader]);
    const grouped = new Map<string, OutgoingHttpHeader[]>();
    for (const [name, value] of pairs) grouped.set(name.toLowerCase(), [...(grouped.get(name.toLowerCase()) ?? []), value]);
    for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? values[0]! : values.flat().map(String));
    return;
  }
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
}

/** A header's value as one string ('' when absent). */
export function headerText(res: ServerResponse, name: string): string {
  const value = res.getHeader(name);
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}
