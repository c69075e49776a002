// The one place a route learns which address a request comes from (for the per-address limits):
// the TCP peer, or behind a trusted proxy the address that proxy forwards for
// (src/lib/trusted-proxies.ts). Routes call clientAddressOf, never Astro's clientAddress directly.
import { readTrustedProxies } from '../lib/config.ts';
import { resolveClientAddress, type TrustedProxies } from '../lib/trusted-proxies.ts';

let trusted: TrustedProxies | undefined;

/** TRUSTED_PROXIES as this process was started with it (`npm start` has already refused a bad one). */
function trustedProxies(): TrustedProxies {
  return (trusted ??= readTrustedProxies(process.env.TRUSTED_PROXIES ?? ''));
}

export function clientAddressOf(context: { request: Request; clientAddress: string }): string {
  // Astro's clientAddress is the TCP peer while security.allowedDomains stays unset (astro.config.mjs).
  // With it set, Astro would put the left-most X-Forwarded-For here instead: what the client wrote.
  let peer: string | null = null;
  try {
    peer = context.clientAddress;
  } catch {
    // The adapter could not tell: such requests share one allowance.
  }
  return resolveClientAddress(peer, context.request.headers.get('x-forwarded-for'), trustedProxies());
}
