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

/** The browser behind a form: the client, and its cookies, to sign it in. */
export interface Browser extends Client {
  cookies: AstroCookies;
}

export function clientOf(context: { request: Request; clientAddress: string; cookies: AstroCookies }): Browser {
  let address = 'unknown';
  try {
    address = context.clientAddress;
  } catch {
    // Astro throws when the adapter cannot tell; all such requests then share one limiter bucket.
  }
  const { cookies } = context;
  return { address, userAgent: context.request.headers.get('user-agent'), knownDevice: cookies.get(KNOWN_DEVICE_COOKIE)?.value ?? null, cookies };
}
