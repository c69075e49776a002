// Both wrappers that look at a response's headers before they are sent (compress-response.ts,
// shared-cache-guard.ts) need them in one place: headers given to writeHead() are moved onto the
// response with setHeader() first, which is what writeHead() would have done with them.
import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';

type HeadArgs = [statusMessage?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]];

/** Applies writeHead()'s arguments to `res` (status, message, headers) without sending anything. */
export function absorbHead(res: ServerResponse, statusCode: number, args: HeadArgs): void {
  res.statusCode = statusCode;
  let [message, headers] = args;
  if (typeof message === 'string') res.statusMessage = message;
  else headers = message;
  if (!headers) return;
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
