// Who is asking, as far as the account flows need to know: the address for the limiter (only
// ever stored as a keyed hash), the user agent (only ever stored as a coarse device label), and
// the known-device cookie that lets a browser the account signed in from before past the
// limits outsiders can fill (see throttle.ts).
import type { AstroCookies } from 'astro';
import { KNOWN_DEVICE_COOKIE } from './throttle.ts';

export interface Client {
  address: string;
  userAgent: string | null;
  knownDevice?: string | null;
}

export function clientOf(context: { request: Request; clientAddress: string; cookies?: AstroCookies }): Client {
  let address = 'unknown';
  try {
    address = context.clientAddress;
  } catch {
    // Astro throws when the adapter cannot tell; all such requests then share one limiter bucket.
  }
  return { address, userAgent: context.request.headers.get('user-agent'), knownDevice: context.cookies?.get(KNOWN_DEVICE_COOKIE)?.value ?? null };
}
