// A 304 updates the headers a browser or cache stored with the full response (RFC 9111 §4.3.4).
// The server's default Content-Security-Policy (security-headers.ts) goes on every response, but
// an on-demand page's full response carried Astro's own policy, listing that page's script and
// style hashes, in its place: a 304 that carried the default would swap the stored policy for it.
// So no 304 carries one, and the stored response keeps the policy it came with.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { absorbHead } from './response-head.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function withNotModifiedHeaders(handler: Handler): Handler {
  return (req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, statusCode: number, ...args: unknown[]) {
      absorbHead(this, statusCode, args as Parameters<typeof absorbHead>[2]);
      if (this.statusCode === 304) this.removeHeader('content-security-policy');
      return writeHead.call(this, this.statusCode);
    } as ServerResponse['writeHead'];
    handler(req, res);
  };
}
