// Astro's checkOrigin compares a form's Origin with the request's own address as its Node adapter
// builds it: http, unless this server itself speaks TLS, and the Host header. Behind a proxy that
// ends TLS (the README's production setup) a browser on https://example.org sends
// `Origin: https://example.org` while Astro sees http://example.org, and every form was refused
// with 403. A request whose Origin is the site's public origin (SITE_URL, https) and whose Host is
// that origin's host comes from the site's own pages, which no other site can claim: its Origin is
// given as Astro sees the address. Every other Origin reaches Astro's check as it was sent.
import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function withPublicOrigin(handler: Handler, siteUrl: URL): Handler {
  if (siteUrl.protocol !== 'https:') return handler;
  const { origin, host } = siteUrl;
  return (req, res) => {
    const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
    if (!encrypted && req.headers.origin === origin && req.headers.host === host) req.headers.origin = `http://${host}`;
    handler(req, res);
  };
}
